import { TrainingSummary } from './text-classifier-training';

export function printSummary(summary: TrainingSummary): void {
  const { statistic, degreesOfFreedom, pValue } = summary.chiSquare;
  console.log(
    `${summary.model}: hold-out accuracy ${summary.holdoutAccuracy.toFixed(4)}, ` +
      `predicted mix ${JSON.stringify(summary.predictedDistribution)}, ` +
      `chi-square vs training mix ${statistic.toFixed(3)} (df ${degreesOfFreedom}, p = ${pValue.toFixed(4)}), ` +
      `${summary.modelBytes} bytes, ${summary.seconds.toFixed(1)} s`,
  );
}
