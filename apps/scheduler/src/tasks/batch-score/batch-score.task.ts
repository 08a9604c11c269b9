import { Injectable, Logger } from '@nestjs/common';
import { existsSync, promises as fs } from 'fs';
import { basename, join, resolve } from 'path';
import { MODEL_NAME_PATTERN } from '@app/models';
import { JobProducer, JobResults, newJobId } from '@app/queue';
import { MaintenanceTask } from '../../maintenance-task';
import { InputRow, parseInput } from './input-rows';

/** Rows in flight at once: enough to fill batches, few enough to stay far below queue.maxWaiting. */
const WINDOW = 256;

interface FileReport {
  model: string;
  file: string;
  rows: number;
  scored: number;
  failed: number;
  output: string;
}

/**
 * Scores files dropped into the inbox: `<inbox>/<model>/<name>.jsonl|.csv`. Every row goes through the
 * model's queue as its own job (so the queue-processors batch them with everything else); the answers
 * are written to `<outbox>/<model>/<name>.out.jsonl` (one line per row, a prediction or the row's error)
 * atomically, then the input moves to `<done>/<model>/`. A file is claimed by renaming it first, so two
 * runs never score the same file.
 */
@Injectable()
export class BatchScoreTask implements MaintenanceTask {
  readonly name = 'batch-score';
  private readonly logger = new Logger('BatchScore');

  constructor(
    private readonly producer: JobProducer,
    private readonly results: JobResults,
  ) {}

  async run(options: Record<string, unknown>): Promise<{ files: FileReport[] }> {
    const inbox = resolve(stringOption(options, 'inbox', 'data/inbox'));
    const outbox = resolve(stringOption(options, 'outbox', 'data/outbox'));
    const done = resolve(stringOption(options, 'done', 'data/done'));
    const timeoutMs = typeof options.timeoutMs === 'number' ? options.timeoutMs : 120_000;
    const files: FileReport[] = [];
    if (!existsSync(inbox)) return { files };
    for (const model of (await fs.readdir(inbox, { withFileTypes: true })).filter((e) => e.isDirectory() && MODEL_NAME_PATTERN.test(e.name))) {
      for (const entry of await fs.readdir(join(inbox, model.name), { withFileTypes: true })) {
        if (!entry.isFile() || !/\.(jsonl|csv)$/i.test(entry.name)) continue;
        const claimed = await this.claim(inbox, model.name, entry.name);
        if (!claimed) continue;
        files.push(await this.scoreFile(model.name, claimed, entry.name, { outbox, done, timeoutMs }));
      }
    }
    return { files };
  }

  private async claim(inbox: string, model: string, file: string): Promise<string | undefined> {
    const dir = join(inbox, '.claimed', model);
    await fs.mkdir(dir, { recursive: true });
    const target = join(dir, `${Date.now()}-${file}`);
    try {
      await fs.rename(join(inbox, model, file), target);
      return target;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // another run took it
      throw error;
    }
  }

  private async scoreFile(model: string, path: string, file: string, dirs: { outbox: string; done: string; timeoutMs: number }): Promise<FileReport> {
    const rows = parseInput(file, await fs.readFile(path, 'utf8'));
    await this.results.listen(model);
    const lines = new Array<string>(rows.length);
    let next = 0;
    let failed = 0;
    const worker = async () => {
      while (next < rows.length) {
        const i = next++;
        const answer = await this.score(model, rows[i], dirs.timeoutMs);
        if ('error' in answer) failed++;
        lines[i] = JSON.stringify(answer);
      }
    };
    await Promise.all(Array.from({ length: Math.min(WINDOW, rows.length) }, worker));
    const outDir = join(dirs.outbox, model);
    await fs.mkdir(outDir, { recursive: true });
    const output = join(outDir, `${file.replace(/\.(jsonl|csv)$/i, '')}.out.jsonl`);
    const temporary = `${output}.${process.pid}.tmp`;
    await fs.writeFile(temporary, lines.length ? `${lines.join('\n')}\n` : '');
    await fs.rename(temporary, output); // readers see the whole file or none of it
    const doneDir = join(dirs.done, model);
    await fs.mkdir(doneDir, { recursive: true });
    await fs.rename(path, join(doneDir, file));
    const report = { model, file, rows: rows.length, scored: rows.length - failed, failed, output };
    this.logger.log(`${model}/${basename(file)}: ${report.scored} rows scored, ${failed} failed -> ${output}`);
    return report;
  }

  private async score(model: string, row: InputRow, timeoutMs: number): Promise<Record<string, unknown>> {
    if ('error' in row) return { row: row.row, error: row.error };
    const jobId = newJobId(model);
    const waiting = this.results.wait(model, jobId, timeoutMs);
    try {
      await this.producer.submit({ model, body: { instances: [row.instance] }, options: {}, jobId });
    } catch (error) {
      waiting.cancel();
      await waiting.result.catch(() => undefined);
      return { row: row.row, error: (error as Error).message };
    }
    try {
      const result = await waiting.result;
      const predictions = (result.body as { predictions?: unknown[] }).predictions;
      return { row: row.row, prediction: predictions?.[0] ?? result.body };
    } catch (error) {
      return { row: row.row, error: (error as Error).message };
    }
  }
}

function stringOption(options: Record<string, unknown>, key: string, fallback: string): string {
  const value = options[key] ?? fallback;
  if (typeof value !== 'string' || value === '') throw new Error(`options.${key} must be a folder path`);
  return value;
}
