import { existsSync, readFileSync } from 'fs';
import { extname } from 'path';
import { csvRecords, isBlankRecord } from '@app/csv';
import { CliError } from '../cli-error';

/** One record of a data file with the line it starts on, for messages that point at it. */
export interface DataRecord {
  line: number;
  fields: Record<string, unknown>;
}

export class DataFileError extends CliError {
  constructor(file: string, line: number | undefined, reason: string) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
  }
}

/** Reads a .jsonl (one JSON object a line) or .csv (a header line, then one record a line) file. */
export function readDataFile(file: string): DataRecord[] {
  if (!existsSync(file)) throw new DataFileError(file, undefined, 'no such file');
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const ext = extname(file).toLowerCase();
  const records = ext === '.csv' ? parseCsv(text, file) : ext === '.jsonl' || ext === '.ndjson' || ext === '.json' ? parseJsonLines(text, file) : undefined;
  if (!records) throw new DataFileError(file, undefined, `unknown kind of data file '${ext || '(no extension)'}': use .jsonl or .csv`);
  if (records.length === 0) throw new DataFileError(file, undefined, 'holds no rows');
  return records;
}

function parseJsonLines(text: string, file: string): DataRecord[] {
  const records: DataRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new DataFileError(file, i + 1, `not valid JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new DataFileError(file, i + 1, 'each line must be a JSON object such as {"features": [...], "label": "..."}');
    }
    records.push({ line: i + 1, fields: value as Record<string, unknown> });
  });
  return records;
}

/** A header line, then one record a line (RFC 4180 quoting); blank lines are skipped. */
function parseCsv(text: string, file: string): DataRecord[] {
  const { records, unclosedQuoteAt } = csvRecords(text);
  if (unclosedQuoteAt !== undefined) throw new DataFileError(file, unclosedQuoteAt, 'a quoted field is never closed');
  const rows = records.filter((r) => !isBlankRecord(r));
  if (rows.length === 0) return [];
  const header = rows[0].cells.map((h) => h.trim());
  const empty = header.findIndex((h) => h === '');
  if (empty >= 0) throw new DataFileError(file, rows[0].line, `column ${empty + 1} of the header has no name`);
  return rows.slice(1).map(({ line: at, cells: values }) => {
    if (values.length !== header.length) {
      throw new DataFileError(file, at, `${values.length} fields, but the header names ${header.length} columns`);
    }
    return { line: at, fields: Object.fromEntries(header.map((h, k) => [h, values[k]])) };
  });
}
