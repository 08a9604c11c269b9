/**
 * Which project files one request runs through, measured rather than read off the code: the inference
 * app is started in this process under V8 coverage (NODE_V8_COVERAGE), warmed up, and the coverage
 * counters are taken around one request of each kind: TF Serving :predict, V2 infer (JSON) and gRPC
 * ModelInfer (raw tensors). Files that run in an equally long window with no request (timers: health,
 * metrics, flushes) are left out.
 *
 *   NODE_V8_COVERAGE=$(mktemp -d) npx ts-node --transpile-only -r tsconfig-paths/register scripts/request-path-files.ts
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { takeCoverage } from 'v8';
import { driveGrpcUnary, encodeInferRequest } from '../bench/lib/grpc-load';
import { grpcAddress } from '../test/support/grpc-client';
import { startInference } from '../test/support/test-app';

const ROW = [5.1, 3.5, 1.4, 0.2];

interface ScriptCoverage {
  url: string;
  functions: { ranges: { count: number }[] }[];
}

/** Project files (apps/, libs/, src/) with a function that ran since the previous take. */
function filesRunSinceLastTake(dir: string): Set<string> {
  const seen = new Set(readdirSync(dir));
  takeCoverage();
  const fresh = readdirSync(dir).filter((f) => !seen.has(f));
  const files = new Set<string>();
  for (const name of fresh) {
    const { result } = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { result: ScriptCoverage[] };
    for (const script of result) {
      const match = /\/((?:apps|libs|src)\/.+\.ts)$/.exec(script.url);
      if (match && !script.url.includes('node_modules') && script.functions.some((f) => f.ranges[0].count > 0)) files.add(match[1]);
    }
  }
  return files;
}

async function main(): Promise<void> {
  const dir = process.env.NODE_V8_COVERAGE;
  if (!dir) throw new Error('run with NODE_V8_COVERAGE=<an empty folder>');
  const app = await startInference({ cache: { policy: 'off' } });
  const grpcRequest = encodeInferRequest({ model_name: 'iris', inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4] }], raw_input_contents: [Buffer.from(Float32Array.from(ROW).buffer)] });
  const post = (path: string, body: unknown) =>
    fetch(`${app.url}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }).then((r) => r.text());
  const kinds: Record<string, () => Promise<unknown>> = {
    'TF Serving :predict': () => post('/v1/models/iris:predict', { instances: [ROW] }),
    'V2 infer (JSON)': () => post('/v2/models/iris/infer', { inputs: [{ name: 'features', datatype: 'FP32', shape: [1, 4], data: ROW }] }),
    'gRPC ModelInfer (raw)': () => driveGrpcUnary(grpcAddress(app), grpcRequest, 1, 0.001),
  };
  try {
    for (const send of Object.values(kinds)) for (let i = 0; i < 30; i++) await send();
    const settle = () => new Promise((r) => setTimeout(r, 150));
    for (const [kind, send] of Object.entries(kinds)) {
      await settle();
      filesRunSinceLastTake(dir);
      await settle();
      const idle = filesRunSinceLastTake(dir);
      await send();
      await settle();
      const files = [...filesRunSinceLastTake(dir)].filter((f) => !idle.has(f)).sort();
      console.log(`${kind}: ${files.length} project files`);
      for (const file of files) console.log(`  ${file}`);
    }
  } finally {
    await app.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
