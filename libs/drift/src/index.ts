export { DriftModule } from './drift.module';
export { DriftReports } from './drift-reports';
export type { DriftReport } from './drift-reports';
export { PredictionWindow } from './prediction-window';
export { chiSquareGoodnessOfFit } from './chi-square';
export { compareWithReference } from './drift-statistics';
