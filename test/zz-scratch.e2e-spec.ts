import { call, IRIS } from './support/jobs';
import { until } from './support/poll';
import { killAll } from './support/processes';
import { startSentinelGroup } from './support/redis-topologies';
import { startAllInOne } from './support/test-app';

it('kill the master', async () => {
  const group = await startSentinelGroup(2);
  const ack = Number(process.env.ACK ?? 1);
  const app = await startAllInOne({ redis: { url: group.url, keyPrefix: `scratch-${Math.random()}` }, queue: { ackReplicas: ack } });
  const accepted: string[] = []; const at: number[] = []; const refused: Record<string, number> = {};
  const end = Date.now() + 10000; const t0 = Date.now();
  const loads = Promise.all(Array.from({ length: 8 }, async () => { while (Date.now() < end) { const r = await call(`${app.url}/v1/models/iris/jobs`, 'POST', IRIS).catch(() => ({ status: 0, body: {} as any })); if (r.status === 202) { accepted.push(r.body.id); at.push(Date.now()); } else { refused[r.status] = (refused[r.status] ?? 0) + 1; await new Promise((z) => setTimeout(z, 20)); } } }));
  await new Promise((r) => setTimeout(r, 2000));
  const before = group.masterPort(); const killAt = Date.now();
  await group.kill(before);
  await until(() => { try { return group.masterPort() !== before; } catch { return false; } }, 'new master', 30000, 100);
  const switched = Date.now() - killAt;
  await loads;
  const hist: Record<number, number> = {}; for (const t of at) hist[Math.floor((t - t0) / 500)] = (hist[Math.floor((t - t0) / 500)] ?? 0) + 1;
  let lost = 0; let done = 0;
  const pending = new Set(accepted);
  await until(async () => { for (const id of [...pending]) { const r = await call(`${app.url}/v1/jobs/${encodeURIComponent(id)}`, 'GET'); if (r.status === 404) { lost++; pending.delete(id); } else if (r.body.state === 'completed') { done++; pending.delete(id); } } return pending.size === 0; }, 'all', 90000, 250);
  process.stdout.write(`ACK ${ack} kill: new master after ${switched} ms, kill at ${killAt - t0}; accepted ${accepted.length}, completed ${done}, lost ${lost}, refused ${JSON.stringify(refused)}; per 500ms ${JSON.stringify(hist)}\n`);
  await app.close(); await group.stop(); await killAll();
}, 180_000);
