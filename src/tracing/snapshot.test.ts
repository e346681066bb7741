import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PresenceColumns, sourceIndex } from './columns.ts';
import { PresenceIndex } from './presenceIndex.ts';
import { readSnapshot, writeSnapshot } from './snapshot.ts';

describe('index snapshot', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cordon-snap-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cols = new PresenceColumns();
  cols.push(1, 0, 1000, 2000, sourceIndex('venue_scan'));
  cols.push(1, 0, 1500, 2500, sourceIndex('telecom_stay'));
  cols.push(2, 1, 1000, 1600, sourceIndex('hotel_checkin'));
  const index = PresenceIndex.build(cols);
  const mark = { maxId: 3, count: 3 };

  it('reads back every array, the table of source masks included', () => {
    const file = path.join(dir, 'index.bin');
    writeSnapshot(file, index, mark);
    const { index: back, mark: written } = readSnapshot(file, mark)!;
    expect(written).toEqual(mark);
    expect(back.arrays()).toEqual(index.arrays());
    expect(back.sourceMasks[back.source[0]]).toBe((1 << sourceIndex('venue_scan')) | (1 << sourceIndex('telecom_stay')));
    expect(readSnapshot(file, { maxId: 4, count: 4 })).toBeUndefined();
  });

  it('reads back whatever the header\'s length (every alignment of the arrays after it), and leaves no file open', () => {
    const fds = () => fs.readdirSync('/proc/self/fd').length;
    const before = fds();
    for (let k = 0; k < 16; k++) {
      const file = path.join(dir, `align-${k}.bin`);
      const m = { maxId: 10 ** (k % 8) + k, count: 3 + k * 11 };
      writeSnapshot(file, index, m);
      expect(readSnapshot(file, m)!.index.arrays()).toEqual(index.arrays());
    }
    expect(fds()).toBe(before);
  });

  it('answers undefined for a missing file, and for a watermark that differs in its id or in its count alone', () => {
    expect(readSnapshot(path.join(dir, 'none.bin'), mark)).toBeUndefined();
    const file = path.join(dir, 'mark.bin');
    writeSnapshot(file, index, mark);
    expect(readSnapshot(file, { maxId: 4, count: 3 })).toBeUndefined();
    expect(readSnapshot(file, { maxId: 3, count: 2 })).toBeUndefined();
    expect(readSnapshot(file, mark)).toBeDefined();
  });

  it('rejects a snapshot of the previous format (its source column named one feed), so the caller rebuilds', () => {
    const file = path.join(dir, 'old.bin');
    writeSnapshot(file, index, mark);
    const buf = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.concat([Buffer.from('CORDON-PRESENCE-INDEX-2\n'), buf.subarray('CORDON-PRESENCE-INDEX-3\n'.length)]));
    expect(readSnapshot(file, mark)).toBeUndefined();
  });
});
