// compileRules: every number and every rule text of the compiled lookups comes from the edition (PROTOCOL.md), by
// category and vehicle-setting index, so evidence quotes the rule that applied.
import { describe, expect, it } from 'vitest';
import { loadEdition } from '../domain/protocol/editions.ts';
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import { CONTACT_SETTINGS, PLACE_CATEGORIES, VEHICLE_SETTINGS } from '../domain/vocab.ts';
import { COMPANION, compileRules, GENERAL, VEHICLE_SCOPES } from './rules.ts';

const cat = (c: (typeof PLACE_CATEGORIES)[number]) => PLACE_CATEGORIES.indexOf(c);
const veh = (v: (typeof VEHICLE_SETTINGS)[number]) => VEHICLE_SETTINGS.indexOf(v);

describe('compileRules', () => {
  const ed8 = loadEdition('ed8-delta-2021');

  it('gives companion categories no close-contact minimum, even when the edition lists minutes under "companion"', () => {
    // Companion minutes are the companion rule's own (edition.companion); a stray entry among the close-contact
    // minutes is not one.
    const stray = { ...ed8, closeContact: { ...ed8.closeContact, minOverlapMinutes: { ...ed8.closeContact.minOverlapMinutes, companion: 5 } } };
    const r = compileRules(stray);
    expect(r.minOverlapOf[cat('telecom_cell')]).toBe(0);
    expect(r.ruleText[cat('telecom_cell')]).toBe("companion at a telecom_cell: overlap >= 0 min within the case's window (ed8-delta-2021)");
  });

  it('maps each category to its setting, companion or general, with the setting\'s minimum in seconds and its rule text', () => {
    const r = compileRules(ed8);
    expect(r.settingOf[cat('restaurant')]).toBe(CONTACT_SETTINGS.indexOf('dining_entertainment'));
    expect(r.minOverlapOf[cat('restaurant')]).toBe(15 * 60);
    expect(r.ruleText[cat('restaurant')]).toBe("dining_entertainment at a restaurant: overlap >= 15 min within the case's window (ed8-delta-2021)");
    expect(r.settingOf[cat('residence')]).toBe(CONTACT_SETTINGS.indexOf('household'));
    expect(r.minOverlapOf[cat('residence')]).toBe(0);
    expect(r.settingOf[cat('telecom_cell')]).toBe(COMPANION);
    expect(r.minOverlapOf[cat('telecom_cell')]).toBe(0);
    expect(r.ruleText[cat('telecom_cell')]).toBe("companion at a telecom_cell: overlap >= 0 min within the case's window (ed8-delta-2021)");
    const general = PLACE_CATEGORIES.filter((c) => ed8.closeContact.settingByCategory[c] === 'general');
    expect(general.length).toBeGreaterThan(0);
    for (const c of general) {
      expect(r.settingOf[cat(c)]).toBe(GENERAL);
      expect(r.minOverlapOf[cat(c)]).toBe(ed8.closeContact.minOverlapMinutes.general! * 60);
    }
    expect(r.ruleText).toHaveLength(PLACE_CATEGORIES.length);
  });

  it('takes every number from the edition: minutes (fractional ones rounded to the second), companion thresholds, household', () => {
    const ed = structuredClone(ed8) as ProtocolEdition;
    ed.id = 'test-edition';
    ed.closeContact.minOverlapMinutes.dining_entertainment = 7.51;
    ed.closeContact.minOverlapMinutes.household = 2.5;
    ed.companion.minOverlapMinutes = 12;
    ed.companion.minCumulativeHours = 5;
    ed.companion.lookBackDays = 3;
    const r = compileRules(ed);
    expect(r.minOverlapOf[cat('restaurant')]).toBe(451);
    expect(r.minOverlapOf[cat('residence')]).toBe(150);
    expect(r.registry).toEqual({
      household: true, minOverlapSec: 150,
      ruleText: "household: registered co-resident of the case in the household registry, within the case's window outside isolation (test-edition)",
    });
    expect(r.companion).toEqual({ minOverlapSec: 720, minCumulativeSec: 5 * 3600, lookBackSec: 3 * 86400 });
    // Without a household minimum, the registry's is zero; without the household setting, the registry makes none.
    delete ed.closeContact.minOverlapMinutes.household;
    ed.closeContact.settings = ed.closeContact.settings.filter((s) => s !== 'household');
    const without = compileRules(ed);
    expect(without.registry.minOverlapSec).toBe(0);
    expect(without.registry.household).toBe(false);
  });

  it('compiles each vehicle setting\'s scope, rows and crew, and says it in words', () => {
    const r = compileRules(ed8);
    expect(VEHICLE_SCOPES[r.vehicleScope[veh('aircraft')]]).toBe('rows');
    expect(r.vehicleRows[veh('aircraft')]).toBe(3);
    expect(r.vehicleCrew[veh('aircraft')]).toBe(1);
    expect(r.vehicleRuleText[veh('aircraft')]).toBe('aircraft: 3 rows in front and behind, plus crew (ed8-delta-2021)');
    expect(VEHICLE_SCOPES[r.vehicleScope[veh('train_open')]]).toBe('compartment_or_adjacent_bays');
    expect(r.vehicleRows[veh('train_open')]).toBe(0);
    expect(r.vehicleRuleText[veh('train_open')]).toBe('train_open: compartment or adjacent bays, plus crew (ed8-delta-2021)');
    const ed = structuredClone(ed8) as ProtocolEdition;
    ed.closeContact.vehicles.ship = { scope: 'cabin', crew: false };
    ed.closeContact.vehicles.coach_ventilated = { scope: 'rows', rowsEachSide: 5, crew: false };
    const r2 = compileRules(ed);
    expect(r2.vehicleCrew[veh('ship')]).toBe(0);
    expect(r2.vehicleRuleText[veh('ship')]).toBe('ship: cabin (ed8-delta-2021)');
    expect(r2.vehicleRows[veh('coach_ventilated')]).toBe(5);
    expect(r2.vehicleRuleText[veh('coach_ventilated')]).toBe('coach_ventilated: 5 rows in front and behind (ed8-delta-2021)');
    expect(r2.vehicleRuleText).toHaveLength(VEHICLE_SETTINGS.length);
  });
});
