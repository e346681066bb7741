/**
 * The protocol edition's tracing rules compiled into lookups by place-category index and vehicle-setting index,
 * so the scanning loops read numbers from small typed arrays instead of objects.
 */
import type { ProtocolEdition } from '../domain/protocol/schema.ts';
import { CONTACT_SETTINGS, PLACE_CATEGORIES, VEHICLE_SETTINGS, type ContactSetting, type PlaceCategory, type VehicleSetting } from '../domain/vocab.ts';

/** What presence at a category of place can make: a close-contact setting (by index), or neither of these. */
export const GENERAL = 254;
export const COMPANION = 255;

export const VEHICLE_SCOPES = ['rows', 'carriage', 'compartment', 'compartment_or_adjacent_bays', 'all_on_board', 'cabin'] as const;

export interface CompiledRules {
  /** Per category index: CONTACT_SETTINGS index, GENERAL or COMPANION. */
  settingOf: Uint8Array;
  /** Per category index: minimum overlap in seconds for a close contact. */
  minOverlapOf: Uint32Array;
  /** Per vehicle-setting index: scope index, rows each side, whether crew count. */
  vehicleScope: Uint8Array;
  vehicleRows: Uint16Array;
  vehicleCrew: Uint8Array;
  companion: { minOverlapSec: number; minCumulativeSec: number; lookBackSec: number };
  /** Human-readable rule text by category index (for evidence). */
  ruleText: string[];
  vehicleRuleText: string[];
  /**
   * Co-residents in the household registry: whether they are close contacts (the edition lists the `household`
   * setting), the household setting's minimum overlap in seconds, and the rule text of their evidence.
   */
  registry: { household: boolean; minOverlapSec: number; ruleText: string };
}

/** Compiles the edition's tracing rules (every number from the edition; times in seconds). */
export function compileRules(edition: ProtocolEdition): CompiledRules {
  const cc = edition.closeContact;
  const settingOf = new Uint8Array(PLACE_CATEGORIES.length);
  const minOverlapOf = new Uint32Array(PLACE_CATEGORIES.length);
  const ruleText: string[] = [];
  PLACE_CATEGORIES.forEach((cat: PlaceCategory, i) => {
    const s = cc.settingByCategory[cat];
    settingOf[i] = s === 'general' ? GENERAL :
      // Stryker disable next-line ConditionalExpression,StringLiteral: the `false` and '' variants are equivalent: without the test, indexOf gives -1 for 'companion', which the Uint8Array stores as 255, COMPANION; the directive also hides the `true` variant (every setting a companion), which the tracer's tests kill
      s === 'companion' ? COMPANION : CONTACT_SETTINGS.indexOf(s as ContactSetting);
    const minutes = s === 'companion' ? 0 : cc.minOverlapMinutes[s] ?? 0;
    minOverlapOf[i] = Math.round(minutes * 60);
    ruleText.push(`${s} at a ${cat}: overlap >= ${minutes} min within the case's window (${edition.id})`);
  });
  const vehicleScope = new Uint8Array(VEHICLE_SETTINGS.length);
  const vehicleRows = new Uint16Array(VEHICLE_SETTINGS.length);
  const vehicleCrew = new Uint8Array(VEHICLE_SETTINGS.length);
  const vehicleRuleText: string[] = [];
  VEHICLE_SETTINGS.forEach((v: VehicleSetting, i) => {
    const r = cc.vehicles[v];
    vehicleScope[i] = VEHICLE_SCOPES.indexOf(r.scope);
    vehicleRows[i] = r.rowsEachSide ?? 0;
    vehicleCrew[i] = r.crew ? 1 : 0;
    vehicleRuleText.push(`${v}: ${r.scope === 'rows' ? `${r.rowsEachSide} rows in front and behind` : r.scope.replace(/_/g, ' ')}${r.crew ? ', plus crew' : ''} (${edition.id})`);
  });
  const comp = edition.companion;
  const householdMinutes = cc.minOverlapMinutes.household ?? 0;
  const registry = {
    household: cc.settings.includes('household'),
    minOverlapSec: Math.round(householdMinutes * 60),
    ruleText: `household: registered co-resident of the case in the household registry, within the case's window outside isolation (${edition.id})`,
  };
  return {
    settingOf, minOverlapOf, vehicleScope, vehicleRows, vehicleCrew, ruleText, vehicleRuleText, registry,
    companion: { minOverlapSec: comp.minOverlapMinutes * 60, minCumulativeSec: comp.minCumulativeHours * 3600, lookBackSec: comp.lookBackDays * 86400 },
  };
}
