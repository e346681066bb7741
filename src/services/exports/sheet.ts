/**
 * Rows taken away as a file: CSV (UTF-8 with a byte-order mark, so a spreadsheet reads the Chinese) or XLSX (one
 * sheet through ExcelJS, its header bold and frozen). Text cells are made spreadsheet-safe (no formula from a name
 * such as `=HYPERLINK(...)`). What every export of Cordon writes its file with.
 */
import ExcelJS from 'exceljs';
import { spreadsheetSafe, toCsv, type CsvCell } from '../../domain/csv.ts';
import { formatTime } from '../../domain/time.ts';

/** The file formats an export is written in. */
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** An export ready to send: its bytes, media type, file name and how many rows it holds. */
export interface ExportFile {
  body: Buffer;
  type: string;
  filename: string;
  rows: number;
}

/** A time as a person reads it in an export: China Standard Time, to the minute (`YYYY-MM-DD HH:MM`); '' for none. */
export const minute = (epoch: number | null): string => (epoch === null ? '' : formatTime(epoch).slice(0, 16).replace('T', ' '));

/**
 * `rows` under `header` as a file named `name` (letters, digits, `_` and `-` kept, the rest `_`) plus the format's
 * extension; `sheet` names the XLSX sheet, `widths` its columns (characters).
 */
export async function writeSheet(format: ExportFormat, name: string, sheet: string, header: readonly string[], rows: readonly CsvCell[][], widths: readonly number[] = []): Promise<ExportFile> {
  const base = name.replace(/[^A-Za-z0-9_-]/g, '_');
  if (format === 'csv') {
    return { body: Buffer.from(`\uFEFF${toCsv(header, rows)}`, 'utf8'), type: 'text/csv; charset=utf-8', filename: `${base}.csv`, rows: rows.length };
  }
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet(sheet);
  ws.addRow([...header]).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (typeof v === 'string' ? spreadsheetSafe(v) : v ?? null)));
  ws.columns.forEach((col, i) => { col.width = widths[i] ?? 12; });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return { body: Buffer.from(await book.xlsx.writeBuffer()), type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: `${base}.xlsx`, rows: rows.length };
}
