import { EXIT_FAILED } from '../cli-error';
import { Progress } from '../progress';
import { loadFigures } from '../report/summary';
import { HttpClient } from '../server/http-client';
import { fetchModelInfo } from '../server/model-info';
import { LoadFlags, loadKind, loadShapeOf } from './test.command';
import { sampleInstance } from '../data/sample-instance';
import { loadTestData } from './test-inputs';

export interface LoadtestFlags extends LoadFlags {
  data?: string;
  json?: boolean;
}

/** `modelgate loadtest MODEL`: the load kind alone, with its live line; exits 1 when it fails. */
export async function loadtestCommand(model: string, flags: LoadtestFlags): Promise<number> {
  loadShapeOf(flags);
  const client = new HttpClient(flags.url, flags.key);
  let info;
  try {
    info = await fetchModelInfo(client, model);
  } finally {
    client.close();
  }
  const data = loadTestData(info, flags.data, {});
  const instances = data.examples.length ? data.examples.map((e) => e.instance) : [sampleInstance(info.inputs)];
  const result = await loadKind(flags, info, instances, new Progress({ json: flags.json }));
  if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${result.verdict.toUpperCase()} load ${model}: ${loadFigures(result)}${result.verdict === 'fail' ? ` — ${result.reason}` : ''}\n`);
  return result.verdict === 'pass' ? 0 : EXIT_FAILED;
}
