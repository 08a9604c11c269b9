import { mkdirSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { CliError } from '../cli-error';
import { reportHtml } from './report-html';
import { TestReport } from './report-types';

/** Writes DIR/report.json and DIR/report.html; returns their absolute paths. */
export function writeReport(dir: string, report: TestReport): { json: string; html: string } {
  const folder = resolve(dir);
  const json = join(folder, 'report.json');
  const html = join(folder, 'report.html');
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(html, reportHtml(report));
  } catch (error) {
    throw new CliError(`cannot write the report into ${folder}: ${(error as Error).message}`);
  }
  return { json, html };
}
