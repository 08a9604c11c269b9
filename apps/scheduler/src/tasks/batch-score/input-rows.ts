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
  const records = csvRecords(text);
  const rows: InputRow[] = [];
  records.slice(1).forEach(({ line, cells, error }) => {
    if (error) return rows.push({ row: line, error });
    if (cells.length === 1 && cells[0].trim() === '') return;
    const numbers = cells.map((c) => (c.trim() === '' ? NaN : Number(c)));
    if (numbers.every((n) => Number.isFinite(n))) rows.push({ row: line, instance: numbers });
    else if (cells.length === 1) rows.push({ row: line, instance: cells[0] });
    else rows.push({ row: line, error: `expected numbers or a single text column, got ${cells.length} cells with text in them` });
  });
  return rows;
}

/** RFC 4180 records: quoted cells may hold commas, quotes ("") and line breaks. */
function csvRecords(text: string): { line: number; cells: string[]; error?: string }[] {
  const out: { line: number; cells: string[]; error?: string }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      out.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else cell += ch;
  }
  if (quoted) out.push({ line: start, cells: [], error: 'a quoted cell is not closed' });
  else if (cell !== '' || cells.length > 0) out.push({ line: start, cells: [...cells, cell] });
  return out;
}
