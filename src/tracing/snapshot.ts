/**
 * The presence index's own snapshot file, for a fast restart: a small JSON header (what the snapshot covers, array
 * lengths) followed by the raw typed arrays. Reused only when it matches the store's presence watermark.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PresenceIndex, type IndexArrays } from './presenceIndex.ts';

/**
 * The format's name and version. Version 3: records merged at build, `source` an index into `sourceMasks` (version
 * 2's `source` named one feed: a version-2 file would be misread, so it is not read, and the index is rebuilt).
 */
const MAGIC = 'CORDON-PRESENCE-INDEX-3\n';
const NAMES = ['person', 'start', 'end', 'source', 'seat', 'placeOffsets', 'placeMaxDur', 'personOffsets', 'personRecs', 'blockPlace', 'sourceMasks'] as const;
const KIND = {
  person: Uint32Array, start: Uint32Array, end: Uint32Array, source: Uint8Array, seat: Uint16Array, placeOffsets: Uint32Array, placeMaxDur: Uint32Array,
  personOffsets: Uint32Array, personRecs: Uint32Array, blockPlace: Uint32Array, sourceMasks: Uint16Array,
};

/**
 * What a snapshot covers: this many presence records, the highest id among them, and whatever else the store's
 * reader needs to go on from there (kept in the header as it is given).
 */
export interface Watermark { maxId: number; count: number }

/** Writes the index to `file` atomically (a temporary file renamed over it). */
export function writeSnapshot(file: string, index: PresenceIndex, mark: Watermark): void {
  const arrays = index.arrays();
  const header = JSON.stringify({ mark, lengths: Object.fromEntries(NAMES.map((n) => [n, arrays[n].length])) });
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  // Who was where: readable by the owner only.
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    const head = Buffer.from(`${MAGIC}${header}\n`);
    fs.writeSync(fd, head);
    let pos = head.length;
    for (const n of NAMES) {
      const pad = (8 - (pos % 8)) % 8;
      // Stryker disable next-line ConditionalExpression: equivalent, a pad of 0 writes nothing
      if (pad) { fs.writeSync(fd, Buffer.alloc(pad)); pos += pad; }
      const a = arrays[n];
      fs.writeSync(fd, Buffer.from(a.buffer, a.byteOffset, a.byteLength));
      pos += a.byteLength;
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * Reads a snapshot if it exists and covers as many records as `expected`, up to the same id: the index and the mark
 * it was written with; otherwise undefined (the caller rebuilds).
 */
export function readSnapshot<M extends Watermark>(file: string, expected: Watermark): { index: PresenceIndex; mark: M } | undefined {
  if (!fs.existsSync(file)) return undefined;
  const buf = fs.readFileSync(file);
  if (buf.subarray(0, MAGIC.length).toString() !== MAGIC) return undefined;
  const nl = buf.indexOf(10, MAGIC.length);
  const header = JSON.parse(buf.subarray(MAGIC.length, nl).toString()) as { mark: M; lengths: Record<string, number> };
  if (header.mark.maxId !== expected.maxId || header.mark.count !== expected.count) return undefined;
  let pos = nl + 1;
  const parts: Partial<IndexArrays> = {};
  for (const n of NAMES) {
    pos += (8 - (pos % 8)) % 8;
    const Ctor = KIND[n];
    const bytes = header.lengths[n] * Ctor.BYTES_PER_ELEMENT;
    const copy = new Uint8Array(bytes);
    copy.set(buf.subarray(pos, pos + bytes));
    (parts as Record<string, unknown>)[n] = new Ctor(copy.buffer);
    pos += bytes;
  }
  return { index: PresenceIndex.fromArrays(parts as IndexArrays), mark: header.mark };
}
