/** Streaming CSV writer for generated feeds: quotes fields only where needed and respects back-pressure. */
import fs from 'node:fs';
import { once } from 'node:events';

const needsQuote = /[",\n\r]/;
const field = (v: string | number | null | undefined): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return needsQuote.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export class CsvWriter {
  private readonly out: fs.WriteStream;
  rows = 0;

  constructor(readonly file: string, readonly columns: readonly string[]) {
    this.out = fs.createWriteStream(file);
    this.out.write(columns.join(',') + '\n');
  }

  /** Writes one row (values in column order); waits when the stream's buffer is full. */
  async row(values: readonly (string | number | null | undefined)[]): Promise<void> {
    this.rows++;
    if (!this.out.write(values.map(field).join(',') + '\n')) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}
