export { csvRecords, isBlankRecord } from './csv-records';
export type { CsvRecord, CsvRecords } from './csv-records';
