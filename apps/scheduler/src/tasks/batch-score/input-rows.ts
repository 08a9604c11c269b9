import { CsvRecord, csvRecords, isBlankRecord } from '@app/csv';

/** One row of an input file: an instance to score, or the reason it cannot be one. */
export type InputRow = { row: number; instance: unknown } | { row: number; error: string };

/**
 * JSONL: each non-blank line is one instance, as in :predict's "instances" ([5.1, 3.5, 1.4, 0.2],
 * "Maria", {"features": [...]}). CSV: the first line is a header; a row of numbers is a list of numbers,
 * a row of one text cell is that string. Rows are numbered from 1 as an editor shows them.
 */
export function parseInput(fileName: string, text: string): InputRow[] {
  if (/\.jsonl$/i.test(fileName)) return parseJsonl(text);
  if (/\.csv$/i.test(fileName)) return parseCsv(text);
  throw new Error(`${fileName}: only .jsonl and .csv files are scored`);
}

function parseJsonl(text: string): InputRow[] {
  const rows: InputRow[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push({ row: i + 1, instance: JSON.parse(line) });
    } catch (error) {
      rows.push({ row: i + 1, error: `not valid JSON: ${(error as Error).message}` });
    }
  });
  return rows;
}

function parseCsv(text: string): InputRow[] {
  const { records, unclosedQuoteAt } = csvRecords(text);
  const all: (CsvRecord & { error?: string })[] = unclosedQuoteAt === undefined ? records : [...records, { line: unclosedQuoteAt, cells: [], error: 'a quoted cell is not closed' }];
  const rows: InputRow[] = [];
  all.slice(1).forEach((record) => {
    const { line, cells, error } = record;
    if (error) return rows.push({ row: line, error });
    if (isBlankRecord(record)) return;
    const numbers = cells.map((c) => (c.trim() === '' ? NaN : Number(c)));
    if (numbers.every((n) => Number.isFinite(n))) rows.push({ row: line, instance: numbers });
    else if (cells.length === 1) rows.push({ row: line, instance: cells[0] });
    else rows.push({ row: line, error: `expected numbers or a single text column, got ${cells.length} cells with text in them` });
  });
  return rows;
}
