import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listEditions, loadEdition, parseEdition, ProtocolEditionError } from './editions.ts';

describe('protocol editions', () => {
  it('ships the three editions and each satisfies the schema', () => {
    expect(listEditions()).toEqual(['ed8-2021', 'ed8-delta-2021', 'ed9-2022']);
    for (const id of listEditions()) expect(loadEdition(id).id).toBe(id);
  });

  it('holds the numbers that differ between editions', () => {
    const [ed8, delta, ed9] = ['ed8-2021', 'ed8-delta-2021', 'ed9-2022'].map((id) => loadEdition(id));
    expect([ed8.caseWindow.daysBeforeOnset, delta.caseWindow.daysBeforeOnset, ed9.caseWindow.daysBeforeOnset]).toEqual([2, 4, 2]);
    expect(ed8.closeContact.management).toMatchObject({ days: 14, testDays: [1, 4, 7, 14], followedBy: { days: 7, testDays: [2, 7] } });
    expect(ed9.closeContact.management).toMatchObject({ days: 7, testDays: [1, 2, 3, 5, 7], followedBy: { days: 3, testDays: [3] } });
    expect(ed9.secondaryContact.management.kind).toBe('home_quarantine');
    expect(ed9.itinerary.lookBackDays).toBe(7);
    expect(delta.companion).toMatchObject({ cellSizeMeters: 800, minOverlapMinutes: 10, minCumulativeHours: 30, lookBackDays: 14 });
    expect(delta.closeContact.vehicles.aircraft).toMatchObject({ scope: 'rows', rowsEachSide: 3 });
  });

  it('refuses an invalid edition listing every problem with its path', () => {
    const good = JSON.parse(fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../../../protocol/ed8-2021.json'), 'utf8'));
    good.checkpoint.maxTemperatureC = 99;
    delete good.companion.cellSizeMeters;
    const err = (() => { try { parseEdition(JSON.stringify(good), 'ed8-2021.json'); } catch (e) { return e; } })() as ProtocolEditionError;
    expect(err).toBeInstanceOf(ProtocolEditionError);
    expect(err.problems.join('\n')).toMatch(/checkpoint\.maxTemperatureC/);
    expect(err.problems.join('\n')).toMatch(/companion\.cellSizeMeters/);
  });

  it('refuses a file whose id is not its name, and an unknown edition', () => {
    const text = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../../../protocol/ed9-2022.json'), 'utf8');
    expect(() => parseEdition(text, 'other.json')).toThrow(/does not match the file name/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ed-'));
    expect(() => loadEdition('ed7', dir)).toThrow(/no such edition/);
    expect(() => parseEdition('{', 'x.json')).toThrow(/not JSON/);
  });
});
