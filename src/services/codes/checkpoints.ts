/**
 * A check at a checkpoint: the edition's policy for its kind says which steps apply (verify the code, green code,
 * green itinerary card, temperature, vaccination, a recent negative test for arrivals, the venue not closed by
 * order, register, disinfect), and every step in the policy is required: one that fails or that the operator did not
 * log denies. Every step reports what happened. Every check writes a check record at the server's time; a passed
 * check that registers writes a presence record too (every checkpoint has a place), so tracing sees it; a denied
 * check registers nothing and says so. Absurd inputs (an implausible temperature) deny with the reason; nothing here
 * passes by default.
 */
import type { Services } from '../../app/container.ts';
import { DomainError } from '../../domain/errors.ts';
import type { NewEvent } from '../../domain/events.ts';
import type { Checkpoint } from '../../domain/model/index.ts';
import { formatTime, HOUR } from '../../domain/time.ts';
import type { CheckpointKind, CheckStep, PlaceCategory, PresenceSource } from '../../domain/vocab.ts';
import { actorName, type Ctx } from '../../platform/context.ts';
import { closingOrder } from '../control.ts';
import type { Verification } from './healthCodes.ts';

export interface CheckInput {
  token: unknown;
  temperatureC: number | null;
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

/** The category of the place a checkpoint without one gets (its kind's own kind of place). */
export const CHECKPOINT_PLACE: Record<CheckpointKind, PlaceCategory> = {
  airport: 'airport', rail_station: 'rail_station', bus_station: 'bus_station', tollgate: 'tollgate', community_gate: 'compound_gate',
  venue: 'compound_gate', medical_institution: 'clinic', cargo: 'airport',
};

/**
 * Registers a checkpoint. One without a place gets its own (code `CP-<code>`, in the checkpoint's region), so every
 * entry it registers is presence that tracing can use.
 */
export async function createCheckpoint(_ctx: Ctx, s: Pick<Services, 'store'>, c: Omit<Checkpoint, 'id'>): Promise<Checkpoint> {
  if (c.placeId !== null && !(await s.store.places.get(c.placeId))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No place with id ${c.placeId}.`);
  if (!(await s.store.regions.get(c.regionCode))) throw new DomainError('unknown_reference', 'UNKNOWN_REFERENCE', `No region ${c.regionCode}.`);
  // Stryker disable next-line ConditionalExpression: equivalent: a shortcut; the insert below refuses the same code with the same error, and its transaction takes back the place
  if (await s.store.control.checkpointByCode(c.code)) throw new DomainError('conflict', 'CONFLICT', `Checkpoint ${c.code} already exists.`);
  return s.store.transaction(async (tx) => {
    let placeId = c.placeId;
    if (placeId === null) {
      const code = `CP-${c.code}`;
      await tx.places.insertMany([{ code, name: c.name, category: CHECKPOINT_PLACE[c.kind], regionCode: c.regionCode, lng: null, lat: null, status: 'open', vehicleSetting: null }]);
      placeId = (await tx.places.idsByCode([code])).get(code)!;
    }
    const id = await tx.control.insertCheckpoint({ ...c, placeId });
    if (id === 0) throw new DomainError('conflict', 'CONFLICT', `Checkpoint ${c.code} already exists.`);
    return { ...c, placeId, id };
  });
}

/** Checks a person at a checkpoint by its policy, at the server's time (see the file's comment). */
export async function check(ctx: Ctx, s: Services, cp: Checkpoint, input: CheckInput): Promise<CheckOutcome> {
  const { store, edition: e, codes } = s;
  const at = ctx.clock.now();
  const policy = e.checkpoint.policies[cp.kind];
  const steps: StepResult[] = [];
  const add = (step: CheckStep, ok: boolean, detail: string) => steps.push({ step, ok, detail });
  const v = await codes.verify(input.token, at);
  const personId = v.fault === null || v.fault === 'code_changed' ? v.personId : null;
  // Stryker disable next-line ConditionalExpression: equivalent: every checkpoint has a place (createCheckpoint gives one), and places.get(null) finds none anyway
  const place = cp.placeId === null ? undefined : await store.places.get(cp.placeId);
  const reasons = v.reasons.join('; ');

  for (const step of policy.steps) {
    switch (step) {
      case 'verify_code':
        add(step, v.fault === null, v.fault === null ? 'code verified' : reasons);
        break;
      case 'code_green':
        // The verification's reasons already start with their colour ("red: close contact ..."): not said twice.
        add(step, v.colour === 'green' && v.fault === null, v.colour === null ? 'no code' : v.colour === 'green' ? 'green' : reasons.startsWith(`${v.colour}: `) ? reasons : `${v.colour}: ${reasons}`);
        break;
      case 'itinerary_green': {
        if (personId === null) { add(step, false, 'no verified person'); break; }
        const card = await codes.itinerary(personId, at);
        add(step, card.colour === 'green', card.colour === 'green' ? `green${card.cities.some((c) => c.asterisk) ? ' (asterisk: a city on the card has a risk area)' : ''}` : `${card.colour}: close contact of a case`);
        break;
      }
      case 'temperature': {
        const t = input.temperatureC, { min, max } = e.checkpoint.plausibleTemperatureC;
        if (
          // Stryker disable next-line ConditionalExpression: equivalent as false: Number.isFinite(null) is false, so no temperature is not taken either way (as true it is killed)
          t === null
          || !Number.isFinite(t)) add(step, false, 'temperature not taken');
        else if (t < min || t > max) add(step, false, `implausible reading ${t} C (expected ${min}-${max} C): measure again`);
        else add(step, t <= e.checkpoint.maxTemperatureC, `${t.toFixed(1)} C (limit ${e.checkpoint.maxTemperatureC} C)`);
        break;
      }
      case 'vaccination': {
        // Stryker disable next-line ConditionalExpression: equivalent: the store has no doses of person null (a shortcut)
        const doses = personId === null ? [] : await store.persons.vaccinationsOf(personId);
        add(step, doses.length > 0, doses.length > 0 ? `${doses.length} dose(s) recorded` : 'no vaccination record');
        break;
      }
      case 'arrival_test': {
        const hours = input.fromLocalCaseProvince ? e.checkpoint.testValidHoursFromLocalCaseProvinces : e.checkpoint.testValidHoursOtherwise;
        // Stryker disable next-line ConditionalExpression,ArrayDeclaration: equivalent: the store has no samples of person null, and a non-sample is no negative test (a shortcut)
        const samples = personId === null ? [] : await store.samples.ofPerson(personId);
        const ok = samples.some((x) => x.result === 'negative' && x.sampledAt >= at - hours * HOUR && x.sampledAt <= at);
        add(step, ok, ok ? `negative test sampled within ${hours} h` : `no negative test sampled within ${hours} h: to the epidemiology desk`);
        break;
      }
      case 'venue_open': {
        const order = place && await closingOrder(store, place, at);
        add(step, !order, order ? `closed by order ${order.orderNo} (${order.issuedBy})` : 'open');
        break;
      }
      case 'register':
        // Whether the entry is registered depends on the verdict: settled below, once every step is known (an ok step's
        // words are written there).
        add(step, personId !== null, 'nobody to register: no verified person');
        break;
      case 'disinfect':
        add(step, input.disinfected, input.disinfected ? 'disinfection logged' : 'disinfection not logged: the policy requires it before entry');
        break;
    }
  }
  const verdict = steps.every((x) => x.ok) ? 'pass' : 'deny';
  const register = verdict === 'pass'
    &&
    // Stryker disable next-line ConditionalExpression: equivalent: a pass with 'register' in the policy implies a person (the step fails without one), and every checkpoint has a place
    personId !== null && cp.placeId !== null
    && policy.steps.includes('register');
  const registerStep = steps.find((x) => x.step === 'register');
  const end = at + Math.max(1, Math.round(policy.presenceMinutes * 60));
  if (registerStep && registerStep.ok) {
    // A denied check registers nothing: the step says so, and is not ok.
    registerStep.ok = register;
    registerStep.detail = register ? `entry registered (counts as presence until ${formatTime(end).slice(11, 16)})` : 'not registered: the check was denied';
  }
  const temperatureC = Number.isFinite(input.temperatureC) ? input.temperatureC : null;
  const fever = personId !== null
    &&
    // Stryker disable next-line ConditionalExpression: equivalent: null > maxTemperatureC is false anyway (the test is for the type checker)
    temperatureC !== null
    && temperatureC > e.checkpoint.maxTemperatureC && temperatureC <= e.checkpoint.plausibleTemperatureC.max;
  await store.transaction(async (tx) => {
    await tx.control.insertCheck({ checkpointId: cp.id, personId, at, temperatureC, verdict, reasons: steps.map((x) => `${x.ok ? 'ok' : 'FAIL'} ${x.step}: ${x.detail}`) });
    const events: NewEvent[] = [{ kind: 'check.recorded', payload: { personId, checkpointId: cp.id, fever, temperatureC } }];
    if (register) {
      await tx.presence.insertMany([{ personId: personId!, placeId: cp.placeId!, start: at, end, source: SOURCE_OF[cp.kind], seat: null, carriage: null }]);
      events.push({ kind: 'presence.recorded', payload: { count: 1, from: at, to: end } });
    }
    await tx.events.append(events, actorName(ctx.actor), at);
  });
  // A fever changes the person's code (yellow, per the edition) before the answer; presence is taken in behind it.
  // Stryker disable next-line ConditionalExpression: equivalent: waiting for every settle only makes the answer later (the fever case, which must wait, is tested)
  if (fever) await s.events.settle();
  else void s.events.settle();
  return { verdict, steps, personId, colour: v.colour };
}
