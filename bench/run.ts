/**
 * `npm run bench [-- <which>]`: `batching` (the default: HTTP throughput and latency per batching policy,
 * the raw session.run limit, the cached case), `queue` (jobs end to end through BullMQ) or `profile`
 * (where the server's main thread spends its time under load).
 * Options: --seconds N per HTTP run (default 10). Traffic goes to 127.0.0.1 only.
 */
import { runBatchingBench } from './batching-bench';
import { runProfileBench } from './profile-bench';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const which = args[0] && !args[0].startsWith('--') ? args.shift()! : 'batching';
  if (which === 'queue') {
    process.argv = [process.argv[0], process.argv[1], ...args];
    await import('./queue-bench');
    return;
  }
  const at = args.indexOf('--seconds');
  const seconds = at >= 0 ? Number(args[at + 1]) : 10;
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('--seconds takes a positive number');
  if (which === 'profile') return runProfileBench(seconds);
  if (which !== 'batching') throw new Error(`unknown benchmark '${which}' (batching, queue, profile)`);
  await runBatchingBench({ seconds });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
