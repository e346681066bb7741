import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listEditions, loadEdition, parseEdition, ProtocolEditionError } from './editions.ts';
import { ProtocolEditionSchema } from './schema.ts';

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
    good.naturalHistory.serialInterval.mean = 1;
    const err = (() => { try { parseEdition(JSON.stringify(good), 'ed8-2021.json'); } catch (e) { return e; } })() as ProtocolEditionError;
    expect(err).toBeInstanceOf(ProtocolEditionError);
    expect(err.name).toBe('ProtocolEditionError');
    expect(err.message.startsWith('ed8-2021.json: invalid protocol edition:\n  - ')).toBe(true);
    expect(err.problems.join('\n')).toMatch(/checkpoint\.maxTemperatureC/);
    expect(err.problems.join('\n')).toMatch(/companion\.cellSizeMeters/);
    // R(t) offsets the serial interval by a day (Cori et al. 2013): a mean of a day or less is refused at load.
    expect(err.problems.join('\n')).toMatch(/naturalHistory\.serialInterval\.mean.*exceed 1 day/);
    // One line per problem under the heading.
    const lines = err.message.split('\n');
    expect(lines).toHaveLength(1 + err.problems.length);
    expect(lines.slice(1)).toEqual(err.problems.map((p) => `  - ${p}`));
  });

  it('names the root as the path of a problem with the whole file, and lists the editions a folder has when one is missing', () => {
    const err = (() => { try { parseEdition('[]', 'x.json'); } catch (e) { return e; } })() as ProtocolEditionError;
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^\(root\): /);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ed-'));
    for (const name of ['ed-b.json', 'ed-a.json', 'notes.txt']) fs.writeFileSync(path.join(dir, name), '{}');
    expect(listEditions(dir)).toEqual(['ed-a', 'ed-b']);
    expect(() => loadEdition('ed7', dir)).toThrow(/no such edition; available: ed-a, ed-b$/);
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses a file whose id is not its name, and an unknown edition', () => {
    const text = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../../../protocol/ed9-2022.json'), 'utf8');
    expect(() => parseEdition(text, 'other.json')).toThrow(/does not match the file name/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ed-'));
    expect(() => loadEdition('ed7', dir)).toThrow(/no such edition; available: /);
    expect(() => parseEdition('{', 'x.json')).toThrow(/not JSON/);
  });
});

describe('the edition schema', () => {
  const file = (id: string) => path.join(path.dirname(new URL(import.meta.url).pathname), `../../../protocol/${id}.json`);
  const raw = (id: string) => JSON.parse(fs.readFileSync(file(id), 'utf8'));
  const parse = (o: unknown, name = 'ed8-delta-2021') => parseEdition(JSON.stringify(o), `${name}.json`);

  it('keeps every field a shipped edition gives (nothing dropped unvalidated, nothing emptied)', () => {
    for (const id of listEditions()) expect(loadEdition(id), id).toEqual(raw(id));
  });

  it('takes every value its lists allow', () => {
    const e = raw('ed8-delta-2021');
    for (const scope of ['rows', 'carriage', 'compartment', 'compartment_or_adjacent_bays', 'all_on_board', 'cabin']) {
      expect(parse({ ...e, closeContact: { ...e.closeContact, vehicles: { ...e.closeContact.vehicles, ship: { ...e.closeContact.vehicles.ship, scope } } } }).closeContact.vehicles.ship.scope).toBe(scope);
    }
    for (const kind of ['centralized', 'home_quarantine', 'home_monitoring']) {
      expect(parse({ ...e, caseManagement: { ...e.caseManagement, afterDischarge: { ...e.caseManagement.afterDischarge, kind } } }).caseManagement.afterDischarge.kind).toBe(kind);
      expect(parse({ ...e, secondaryContact: { ...e.secondaryContact, management: { ...e.secondaryContact.management, kind } } }).secondaryContact.management.kind).toBe(kind);
    }
    for (const kind of ['home_monitoring', 'home_quarantine']) {
      const m = e.closeContact.management;
      expect(parse({ ...e, closeContact: { ...e.closeContact, management: { ...m, followedBy: { ...m.followedBy, kind } } } }).closeContact.management.followedBy!.kind).toBe(kind);
    }
    for (const kind of ['centralized', 'home_quarantine', 'none']) {
      const r = parse({ ...e, riskAreas: { ...e.riskAreas, arrivalsFromHigh: { ...e.riskAreas.arrivalsFromHigh, kind }, arrivalsFromMedium: { ...e.riskAreas.arrivalsFromMedium, kind } } }).riskAreas;
      expect([r.arrivalsFromHigh.kind, r.arrivalsFromMedium.kind]).toEqual([kind, kind]);
    }
    for (const unit of ['county', 'township', 'community']) {
      expect(parse({ ...e, riskAreas: { ...e.riskAreas, ruleSet: { ...e.riskAreas.ruleSet, unit } } }).riskAreas.ruleSet.unit).toBe(unit);
    }
  });

  it('refuses an id or a date with anything before or after its pattern', () => {
    const e = raw('ed8-delta-2021');
    for (const id of ['Xed8', 'ed8!']) expect(() => parse({ ...e, id }, id), id).toThrow(/id/);
    for (const effectiveFrom of ['x2021-07-20', '2021-07-20x']) expect(() => parse({ ...e, effectiveFrom }), effectiveFrom).toThrow(/effectiveFrom/);
    for (const earliest of ['x2020-01-01', '2020-01-01x']) expect(() => parse({ ...e, timeBounds: { ...e.timeBounds, earliest } }), earliest).toThrow(/timeBounds\.earliest/);
  });

  it('explains the code appeal\'s hours, a local practice, in the schema the API documents (GET /api/protocol)', () => {
    expect(ProtocolEditionSchema.shape.command.shape.taskWithinHours.shape.code_appeal.description).toMatch(/^a resident's appeal against their health code, reviewed by the investigators of their county/);
  });
});
