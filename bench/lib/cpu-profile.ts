import { readFileSync } from 'fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** Where a sample's own time goes, by what the code is for; the first rule that matches wins. */
const CATEGORIES: [string, RegExp][] = [
  ['idle (waiting for I/O or the instance)', /^\(idle\)$/],
  ['garbage collection', /^\(garbage collector\)$/],
  ['Node async context (AsyncResource.bind, async hooks)', /node:async_hooks|node:internal\/async_hooks|^deprecate$/],
  ['JSON parsing of request bodies', /secure-json-parse|JSON\.parse|^parse$/],
  ['logging (access log)', /winston|logform|safe-stable-stringify|nest-winston|moment|file-stream-rotator|colors|dist\/libs\/logging/],
  ['metrics', /prom-client|dist\/libs\/metrics/],
  ['decoding and encoding tensors', /dist\/libs\/protocols|dist\/libs\/models\/src\/tensor/],
  ['data plane, batching and the instance hand-off', /dist\/libs\/(dataplane|batching|models\/src\/runtime)|postMessage|MessagePort|worker_threads/],
  ['caching (keys, lookups)', /dist\/libs\/caching|keyv|cache-manager|node:internal\/crypto/],
  ['Nest (routing, guards) and modelgate hooks', /@nestjs|rxjs|reflect-metadata|dist\/libs\/(access|platform)|dist\/apps/],
  ['HTTP (Fastify, Node http and sockets)', /fastify|find-my-way|avvio|light-my-request|node:_http|node:http|node:net|node:internal\/(streams|stream_base|http)|writev|writeBuffer|^\(program\)$/],
];

export interface ProfileSummary {
  totalMs: number;
  shares: { category: string; percent: number }[];
  topFunctions: { name: string; percent: number }[];
}

export function summariseCpuProfile(file: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  // Only the load: from the first request body parsed to the last (start-up and shutdown are not load).
  const underLoad = (i: number) => /secure-json-parse|content-type-parser/.test(nodes.get(profile.samples[i])!.callFrame.url);
  let first = profile.samples.findIndex((_, i) => underLoad(i));
  let last = profile.samples.length - 1;
  while (last > first && !underLoad(last)) last--;
  if (first < 0) [first, last] = [0, profile.samples.length - 1];
  const selfTime = new Map<number, number>();
  let total = 0;
  for (let i = first; i <= last; i++) {
    const id = profile.samples[i];
    const dt = profile.timeDeltas[i] ?? 0;
    selfTime.set(id, (selfTime.get(id) ?? 0) + dt);
    total += dt;
  }
  const byCategory = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, time] of selfTime) {
    const { functionName, url } = nodes.get(id)!.callFrame;
    const text = `${functionName} ${url}`;
    const category = CATEGORIES.find(([, re]) => re.test(functionName) || re.test(url) || re.test(text))?.[0] ?? 'other';
    byCategory.set(category, (byCategory.get(category) ?? 0) + time);
    const name = `${functionName || '(anonymous)'} ${url.replace(/.*node_modules\//, '').replace(/.*\/dist\//, '')}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  }
  const percent = (t: number) => Math.round((1000 * t) / total) / 10;
  return {
    totalMs: Math.round(total / 1000),
    shares: [...byCategory].sort((a, b) => b[1] - a[1]).map(([category, t]) => ({ category, percent: percent(t) })),
    topFunctions: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([name, t]) => ({ name, percent: percent(t) })),
  };
}
