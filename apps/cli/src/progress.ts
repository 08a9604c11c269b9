import { Presets, SingleBar } from 'cli-progress';
import type { LiveStatus } from './testing/load-runner';

export interface ProgressTask {
  update(done: number): void;
  stop(): void;
}

export interface LoadProgress {
  tick(status: LiveStatus): void;
  stop(): void;
}

/**
 * Progress on stderr, so stdout stays the result: bars (cli-progress) on a terminal, a line now and then
 * when stderr is a file or a CI log, nothing with --json.
 */
export class Progress {
  readonly mode: 'bars' | 'lines' | 'silent';

  constructor(options: { json?: boolean; quiet?: boolean }) {
    this.mode = options.json || options.quiet ? 'silent' : process.stderr.isTTY ? 'bars' : 'lines';
  }

  /** A kind with a known number of steps (rows, requests). */
  task(name: string, total: number, unit: string): ProgressTask {
    if (this.mode === 'silent' || total <= 0) return { update: () => undefined, stop: () => undefined };
    if (this.mode === 'lines') {
      let last = 0;
      return {
        update: (done) => {
          if (done === total || done - last >= Math.max(1, Math.ceil(total / 4))) {
            last = done;
            this.line(`${name}: ${done}/${total} ${unit}`);
          }
        },
        stop: () => undefined,
      };
    }
    const bar = new SingleBar(
      { format: `${name.padEnd(12)} {bar} {value}/{total} ${unit}`, hideCursor: true, clearOnComplete: false, stopOnComplete: false },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return { update: (done) => bar.update(done), stop: () => bar.stop() };
  }

  /** The live line of a load run: elapsed time, answers per second, recent p99, errors. */
  load(name: string, durationSeconds: number): LoadProgress {
    if (this.mode === 'silent') return { tick: () => undefined, stop: () => undefined };
    if (this.mode === 'lines') {
      // One tick a second; about ten lines a run.
      const every = Math.max(1, Math.round(durationSeconds / 10));
      let ticks = 0;
      return {
        tick: (s) => {
          if (++ticks % every !== 0) return;
          this.line(`${name}: ${Math.floor(s.elapsedSeconds)}/${durationSeconds}s  ${s.rate} req/s  p99 ${s.p99Ms.toFixed(1)} ms  errors ${s.errors}`);
        },
        stop: () => undefined,
      };
    }
    const bar = new SingleBar(
      {
        format: `${name.padEnd(12)} {bar} {value}/{total}s  {rate} req/s  p99 {p99} ms  errors {errors}`,
        hideCursor: true,
        clearOnComplete: false,
      },
      Presets.shades_classic,
    );
    bar.start(Math.ceil(durationSeconds), 0, { rate: 0, p99: '-', errors: 0 });
    return {
      tick: (s) => bar.update(Math.floor(s.elapsedSeconds), { rate: s.rate, p99: s.p99Ms.toFixed(1), errors: s.errors }),
      stop: () => {
        bar.update(Math.ceil(durationSeconds));
        bar.stop();
      },
    };
  }

  line(text: string): void {
    if (this.mode !== 'silent') process.stderr.write(`${text}\n`);
  }
}
