/**
 * A check at a checkpoint: the edition's policy for its kind says which steps apply (verify the code, green code,
 * green itinerary card, temperature, vaccination, a recent negative test for arrivals, the venue not closed by
 * order, register, disinfect). Every step gives a reason; any failed step denies. Every check writes a check
 * record; a passed check that registers writes a presence record too, so tracing sees it. Absurd inputs (an
 * implausible temperature) deny with the reason; nothing here passes by default.
 */
import type { Checkpoint } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { HOUR } from '../../domain/time.ts';
import type { CheckStep, PresenceSource } from '../../domain/vocab.ts';
import type { Store } from '../../storage/store.ts';
import { closingOrder } from '../control.ts';
import type { HealthCodeService, Verification } from './healthCodes.ts';

export interface CheckInput {
  token: unknown;
  temperatureC: number | null;
  at: number;
  /** The traveller arrives from a province with local cases (airports and stations ask). */
  fromLocalCaseProvince: boolean;
  /** The operator logged disinfection (community gates, cargo). */
  disinfected: boolean;
}

export interface StepResult {
  step: CheckStep;
  ok: boolean;
  detail: string;
}

export interface CheckOutcome {
  verdict: 'pass' | 'deny';
  steps: StepResult[];
  personId: number | null;
  colour: Verification['colour'];
}

/** Where a registered entry's presence comes from, by kind of checkpoint. */
const SOURCE_OF: Record<Checkpoint['kind'], PresenceSource> = {
  airport: 'gate_registration', rail_station: 'gate_registration', bus_station: 'gate_registration', tollgate: 'gate_registration',
  community_gate: 'gate_registration', venue: 'venue_scan', medical_institution: 'gate_registration', cargo: 'gate_registration',
};

export async function check(props: { store: Store; edition: ProtocolEdition; codes: HealthCodeService; checkpoint: Checkpoint; input: CheckInput }): Promise<CheckOutcome> {
  const { store, edition: e, codes, checkpoint: cp, input } = props;
  const policy = e.checkpoint.policies[cp.kind];
  const steps: StepResult[] = [];
  const add = (step: CheckStep, ok: boolean, detail: string) => steps.push({ step, ok, detail });
  const v = await codes.verify(input.token, input.at);
  const personId = v.fault === null || v.fault === 'code_changed' ? v.personId : null;
  const place = cp.placeId === null ? undefined : await store.places.get(cp.placeId);

  for (const step of policy.steps) {
    switch (step) {
      case 'verify_code':
        add(step, v.fault === null, v.fault === null ? 'code verified' : v.reasons.join('; '));
        break;
      case 'code_green':
        add(step, v.colour === 'green' && v.fault === null, v.colour === null ? 'no code' : v.colour === 'green' ? 'green' : `${v.colour}: ${v.reasons.join('; ')}`);
        break;
      case 'itinerary_green': {
        if (personId === null) { add(step, false, 'no verified person'); break; }
        const card = await codes.itinerary(personId, input.at);
        add(step, card.colour === 'green', card.colour === 'green' ? `green${card.cities.some((c) => c.asterisk) ? ' (asterisk: a city on the card has a risk area)' : ''}` : `${card.colour}: close contact of a case`);
        break;
      }
      case 'temperature': {
        const t = input.temperatureC, { min, max } = e.checkpoint.plausibleTemperatureC;
        if (t === null || !Number.isFinite(t)) add(step, false, 'temperature not taken');
        else if (t < min || t > max) add(step, false, `implausible reading ${t} C (expected ${min}-${max} C): measure again`);
        else add(step, t <= e.checkpoint.maxTemperatureC, `${t.toFixed(1)} C (limit ${e.checkpoint.maxTemperatureC} C)`);
        break;
      }
      case 'vaccination': {
        const doses = personId === null ? [] : await store.persons.vaccinationsOf(personId);
        add(step, doses.length > 0, doses.length > 0 ? `${doses.length} dose(s) recorded` : 'no vaccination record');
        break;
      }
      case 'arrival_test': {
        const hours = input.fromLocalCaseProvince ? e.checkpoint.testValidHoursFromLocalCaseProvinces : e.checkpoint.testValidHoursOtherwise;
        const samples = personId === null ? [] : await store.samples.ofPerson(personId);
        const ok = samples.some((s) => s.result === 'negative' && s.sampledAt >= input.at - hours * HOUR && s.sampledAt <= input.at);
        add(step, ok, ok ? `negative test sampled within ${hours} h` : `no negative test sampled within ${hours} h: to the epidemiology desk`);
        break;
      }
      case 'venue_open': {
        const order = place && await closingOrder(store, place, input.at);
        add(step, !order, order ? `closed by order ${order.orderNo} (${order.issuedBy})` : 'open');
        break;
      }
      case 'register':
        add(step, personId !== null, personId !== null ? 'entry registered' : 'nobody to register');
        break;
      case 'disinfect':
        // The gate's own duty: logged with the check, never a reason to turn a person away.
        steps.push({ step, ok: true, detail: input.disinfected ? 'disinfection logged' : 'disinfection NOT logged by the operator' });
        break;
    }
  }
  const verdict = steps.every((s) => s.ok) ? 'pass' : 'deny';
  const temperatureC = input.temperatureC !== null && Number.isFinite(input.temperatureC) ? input.temperatureC : null;
  await store.transaction(async (tx) => {
    await tx.control.insertCheck({ checkpointId: cp.id, personId, at: input.at, temperatureC, verdict, reasons: steps.map((s) => `${s.ok ? 'ok' : 'FAIL'} ${s.step}: ${s.detail}`) });
    if (verdict === 'pass' && personId !== null && cp.placeId !== null && policy.steps.includes('register')) {
      await tx.presence.insertMany([{ personId, placeId: cp.placeId, start: input.at, end: input.at + Math.max(1, Math.round(policy.presenceMinutes * 60)), source: SOURCE_OF[cp.kind], seat: null, carriage: null }]);
    }
  });
  // A fever reading changes the person's code (yellow, per the edition).
  if (personId !== null && temperatureC !== null && temperatureC > e.checkpoint.maxTemperatureC && temperatureC <= e.checkpoint.plausibleTemperatureC.max) {
    await codes.recompute([personId], `temperature ${temperatureC} C at checkpoint ${cp.code}`, input.at);
  }
  return { verdict, steps, personId, colour: v.colour };
}
