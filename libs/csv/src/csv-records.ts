export interface CsvRecord {
  /** The line the record starts on (a quoted cell may span lines). */
  line: number;
  cells: string[];
}

export interface CsvRecords {
  /** Every record, blank lines included (as one empty cell), in order. */
  records: CsvRecord[];
  /** The line of a record whose quoted cell is never closed; that record is not in `records`. */
  unclosedQuoteAt?: number;
}

/** RFC 4180 records: quoted cells may hold commas, doubled quotes ("") and line breaks; CRLF or LF. */
export function csvRecords(text: string): CsvRecords {
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let atCellStart = true;
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
    } else if (ch === '"' && atCellStart) {
      quoted = true;
      atCellStart = false;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
      atCellStart = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      records.push({ line: start, cells });
      cells = [];
      cell = '';
      atCellStart = true;
      line++;
      start = line;
    } else {
      cell += ch;
      atCellStart = false;
    }
  }
  if (quoted) return { records, unclosedQuoteAt: start };
  if (cell !== '' || cells.length > 0) records.push({ line: start, cells: [...cells, cell] });
  return { records };
}

/** A line with nothing on it. */
export function isBlankRecord(record: CsvRecord): boolean {
  return record.cells.length === 1 && record.cells[0].trim() === '';
}
