/**
 * Health codes as a service: evaluates persons' codes from stored facts (in batches), stores every change with its
 * cause, issues signed tokens with the itinerary asterisk, and verifies tokens online (signature, key, expiry,
 * replay, and the person's current colour).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Pseudonyms } from '../../codes/pseudonym.ts';
import { gathered } from '../../platform/gathered.ts';
import type { TokenFault, TokenPayload } from '../../codes/token.ts';
import type { CodeTransition, HealthCode } from '../../domain/model/index.ts';
import type { ProtocolEdition } from '../../domain/protocol/schema.ts';
import { evaluateCode, gateReason, sameCode } from '../../domain/rules/healthCode.ts';
import { cityOf, itineraryCities } from '../../domain/rules/itinerary.ts';
import { DAY } from '../../domain/time.ts';
import { CODE_COLOURS, type CodeColour, type ItineraryColour } from '../../domain/vocab.ts';
import type { Repositories, Store } from '../../storage/store.ts';
import { KeyRing } from './keyRing.ts';
import { StoreUsedTokens, type UsedTokenStore } from './usedTokens.ts';

/**
 * How long claims of used tokens gather before they are written in one statement (milliseconds): one commit (one
 * disk flush) for every verification of those milliseconds, at that much more latency.
 */
const CLAIM_GATHER_MS = 2;
/** Token-id counter width (base-36 digits) and span: it wraps after 36^5 (about 60 million) tokens of one process. */
const JTI_COUNTER_DIGITS = 5;
const JTI_COUNTER_SPAN = 36 ** JTI_COUNTER_DIGITS;

/** Why an online verification refused a token: the offline faults, and what only the server can know. */
export type OnlineFault = TokenFault | 'unknown_person' | 'code_changed' | 'replayed';

export interface Verification {
  verdict: 'pass' | 'deny';
  /** The person's colour now (null when the token could not be tied to a person). */
  colour: CodeColour | null;
  personId: number | null;
  fault: OnlineFault | null;
  reasons: string[];
  payload: TokenPayload | null;
}

export interface ItineraryCard {
  colour: ItineraryColour;
  cities: { cityCode: string; name: string; asterisk: boolean }[];
  lookBackDays: number;
}

export interface RecomputeResult {
  evaluated: number;
  changed: number;
  colours: Record<CodeColour, number>;
  /** Persons whose code now says a required test was not taken, and did not before (each gets a door-to-door task). */
  newlyOverdueTest: number[];
}

/**
 * A token id: the issue time (`now`, seconds, 7 base-36 digits), a process's token count (`count` modulo 36^5, 5 base-36
 * digits) and 9 random bytes (12 base64url characters): 24 characters. The ids of tokens issued about the same time
 * sort next to each other, so claiming them writes to the end of the `used_tokens` index instead of a random page of
 * it for each one (on SQLite about 30 us a claim against 80 us; `npm run bench:claims`); the random part keeps the ids
 * of different processes apart.
 */
export function tokenId(now: number, count: number, random: Uint8Array): string {
  return `${Math.max(0, Math.floor(now)).toString(36).padStart(7, '0')}${(count % JTI_COUNTER_SPAN).toString(36).padStart(JTI_COUNTER_DIGITS, '0')}${Buffer.from(random).toString('base64url')}`;
}

/** JSON with every object's keys sorted: PostgreSQL's jsonb gives stored reasons back in its own key order. */
const canonicalJson = (v: unknown) => JSON.stringify(v, (_k, x: unknown) =>
  // Stryker disable next-line ConditionalExpression,StringLiteral,BooleanLiteral,MethodExpression: the variants that sort no keys (`false`, `typeof x === ""`, `Array.isArray`, no `.sort`) only make a code stored exactly so be written again with the same values (a write saved); the directive covers the line, so it also hides the `true` variant, which corrections.test.ts and tasks.test.ts kill (JSON.stringify recurses without end)
  x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(byKey)) : x);

/** Keys in code-point order. */
const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number =>
  // Stryker disable next-line all: equivalent: another order only makes a code stored exactly so be written again with the same values (a write saved)
  (a < b ? -1 : a > b ? 1 : 0);

export class HealthCodeService {
  /**
   * Token ids seen online by this process, with their expiry: a replay here is refused without asking the store.
   * Every first sight is claimed in the store (`used_tokens`), so a token passes once across all server processes.
   */
  private readonly used = new Map<string, number>();
  /** Claims waiting for the next write to `used_tokens` (one statement for the claims of a turn of the event loop). */
  private claims: { jti: string; exp: number; now: number; done: (first: boolean) => void; failed: (e: unknown) => void }[] = [];
  /** The store's data version when the colour cache was last known good (SQLite; see colourNow). */
  private seenVersion: number | null = null;
  private versionReadThisTurn = false;
  /**
   * Tokens this process issued, by token id, until they expire: online verification recognises them by every
   * character instead of checking the signature again (a signature check costs about 90 us; tokens from elsewhere,
   * or from before a restart, are still verified with the keys).
   */
  private readonly issued = new Map<string, { token: Buffer; exp: number }>();
  private lastPrune = 0;
  /** Counts the tokens this process signs (from a random start), so that their ids follow one another; see tokenId. */
  // Stryker disable next-line ArithmeticOperator: equivalent: any start will do (it is random), and tokenId takes the count modulo the span
  private issuedCount = randomBytes(4).readUInt32BE() % JTI_COUNTER_SPAN;

  /**
   * The colour of every person's code now, one byte per person id (0 = not known here), kept by `recompute`: the
   * online check reads it instead of the database. Only on the embedded SQLite store, and emptied whenever another
   * process (a second server, the CLI) has committed to the file since (SQLite's data version); with PostgreSQL every
   * verification asks the database.
   */
  private colourCache: Uint8Array | null;
  /**
   * Reads of the stored colour (a miss of the cache, and every read on PostgreSQL), gathered: the verifications of
   * one turn of the event loop (those whose claims one statement answered) read their colours in one query.
   */
  private readonly colourReads = gathered((ids: readonly number[]) => this.store.codes.coloursOf(ids));

  // Stryker disable next-line BlockStatement: equivalent: without the colour cache every read goes to the stored code, with the same answer (docs/TESTING.md)
  private constructor(readonly store: Store, readonly edition: ProtocolEdition, readonly keys: KeyRing, private readonly pseudonyms: Pseudonyms, private readonly usedTokens: UsedTokenStore) {
    // Stryker disable next-line all: with the cache off a read goes to the stored code, with the same answer; that it must stay off on PostgreSQL (other processes write codes) mutation testing, on SQLite only, cannot see
    this.colourCache = store.engine === 'sqlite' ? new Uint8Array(1024) : null;
    // The cache starts empty, so it is good as of the store's data version now.
    this.seenVersion = this.colourCache ? store.codes.dataVersion() : null;
  }

  // Stryker disable all: the colour cache only saves a read: a miss falls back to the stored code with the same answer (docs/TESTING.md)
  private cachedColour(personId: number): CodeColour | undefined {
    const c = this.colourCache;
    return c && personId < c.length && c[personId] !== 0 ? CODE_COLOURS[c[personId] - 1] : undefined;
  }

  private cacheColour(personId: number, colour: CodeColour): void {
    if (!this.colourCache) return;
    if (personId >= this.colourCache.length) {
      const grown = new Uint8Array(Math.max(personId + 1, this.colourCache.length * 2));
      grown.set(this.colourCache);
      this.colourCache = grown;
    }
    // Stryker restore all
    this.colourCache[personId] = CODE_COLOURS.indexOf(colour) + 1;
  }

  /** The colour of a person's code now (from the cache when it holds it and no other process wrote since). */
  private async colourNow(personId: number): Promise<CodeColour | undefined> {
    // The data version is read once per turn of the event loop: what another process committed before this turn
    // began empties the cache before any verification of the turn reads it.
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: reading the data version more often only empties the cache more often (a miss reads the stored code, same answer)
    if (this.colourCache && !this.versionReadThisTurn) {
      // Stryker disable next-line BooleanLiteral: equivalent: reading the data version more often only empties the cache more often
      this.versionReadThisTurn = true;
      setImmediate(() => { this.versionReadThisTurn = false; });
      const version = this.store.codes.dataVersion();
      // Stryker disable next-line ConditionalExpression: equivalent: emptying the cache when nothing changed only costs reads of the stored code
      if (version !== this.seenVersion) {
        this.colourCache.fill(0);
        this.seenVersion = version;
      }
    }
    const cached = this.cachedColour(personId);
    // Stryker disable next-line ConditionalExpression: equivalent: the colour cache only saves a read: a miss falls back to the stored code with the same answer (docs/TESTING.md)
    if (cached) return cached;
    const colour = await this.colourReads.load(personId);
    // Stryker disable next-line ConditionalExpression: the colour cache only saves a read: a miss falls back to the stored code with the same answer (docs/TESTING.md)
    if (colour) this.cacheColour(personId, colour);
    return colour;
  }

  /** Opens the service; `usedTokens` is where online verifications claim token ids (default: the store). */
  static async open(store: Store, edition: ProtocolEdition, secret: string, now: number, usedTokens: UsedTokenStore = new StoreUsedTokens(store)): Promise<HealthCodeService> {
    return new HealthCodeService(store, edition, await KeyRing.open(store, edition.healthCode.tokenLifetimeSeconds, now, secret), new Pseudonyms(secret), usedTokens);
  }

  private get riskLookBackSec(): number {
    const r = this.edition.riskAreas;
    return Math.max(r.arrivalsFromHigh.days, r.arrivalsFromMedium.days) * DAY;
  }

  /**
   * Evaluates the codes of `personIds` at the server's `now` from stored facts; stores changes (with `cause`) in one
   * transaction of its own.
   */
  recompute(personIds: readonly number[], cause: string, now: number): Promise<RecomputeResult> {
    return this.store.transaction((tx) => this.recomputeIn(tx, personIds, cause, now));
  }

  /**
   * The same inside a transaction the caller holds (an event handler's, whose event `eventId` the transitions name as
   * their cause): reads and writes through `repos`; the colour cache follows only once the transaction has committed.
   */
  async recomputeIn(repos: Repositories, personIds: readonly number[], cause: string, now: number, eventId: number | null = null): Promise<RecomputeResult> {
    const ids = [...new Set(personIds)];
    const colours: Record<CodeColour, number> = { green: 0, yellow: 0, red: 0 };
    // Stryker disable next-line ConditionalExpression: equivalent: a shortcut; evaluating nobody gives the same empty result
    if (ids.length === 0) return { evaluated: 0, changed: 0, colours, newlyOverdueTest: [] };
    const [facts, current] = await Promise.all([repos.codes.factsOf(ids, now, this.riskLookBackSec), repos.codes.currentOf(ids)]);
    const codes: HealthCode[] = [];
    const transitions: CodeTransition[] = [];
    const newlyOverdueTest: number[] = [];
    const overdue = (reasons: readonly { condition: string }[] | undefined) => reasons?.some((r) => r.condition === 'overdue_required_test') ?? false;
    for (const f of facts) {
      const v = evaluateCode(f, this.edition, now);
      const before = current.get(f.personId);
      const changed = !before || !sameCode(before, v);
      colours[v.colour]++;
      const code = { personId: f.personId, colour: v.colour, reasons: v.reasons, since: changed ? now : before.since, validUntil: v.validUntil };
      // A code stored exactly so is not written again (a second evaluation in one event chain, as after a grading).
      // Stryker disable next-line ConditionalExpression: the `true` variants are equivalent: writing a code again exactly as stored changes nothing (a write saved); the directive covers the line, so it also hides the `false` variant of the reasons' comparison, which corrections.test.ts kills ("the code's reason follows")
      if (changed || code.validUntil !== before.validUntil || canonicalJson(code.reasons) !== canonicalJson(before.reasons)) codes.push(code);
      if (changed) transitions.push({ personId: f.personId, fromColour: before?.colour ?? null, colour: v.colour, reasons: v.reasons, cause, at: now });
      if (overdue(v.reasons) && !overdue(before?.reasons)) newlyOverdueTest.push(f.personId);
    }
    await repos.codes.write(codes, transitions, eventId);
    repos.afterCommit(() => { for (const c of codes) this.cacheColour(c.personId, c.colour); });
    return { evaluated: facts.length, changed: transitions.length, colours, newlyOverdueTest };
  }

  /**
   * After risk areas changed in `units`: re-evaluates (inside the caller's transaction) the codes of those seen there
   * within the edition's look-back for arrivals and elsewhere since, whose arrival reasons may have appeared or lapsed
   * (`CodeRepository.arrivalCandidates`).
   */
  async recomputeVisitorsIn(repos: Repositories, units: readonly string[], cause: string, now: number, eventId: number | null = null): Promise<RecomputeResult> {
    const visitors = await repos.codes.arrivalCandidates(units, now - this.riskLookBackSec, now);
    return this.recomputeIn(repos, visitors, cause, now, eventId);
  }

  /**
   * What a person's code would be at `at` (a what-if read): evaluated from the stored facts as they were known at
   * `at`, stored nowhere, and never read from or written to the live code or its cache.
   */
  async whatIf(personId: number, at: number): Promise<HealthCode> {
    const [facts] = await this.store.codes.factsOf([personId], at, this.riskLookBackSec);
    const v = evaluateCode(facts, this.edition, at);
    return { personId, colour: v.colour, reasons: v.reasons, since: at, validUntil: v.validUntil };
  }

  /** Re-evaluates codes whose validity has run out (a timer calls this). */
  async refreshExpiring(now: number, limit = 10_000): Promise<RecomputeResult> {
    return this.recompute(await this.store.codes.expiring(now, limit), 'validity ran out', now);
  }

  /** A person's code now (evaluated first when there is none or it has run out). */
  async codeOf(personId: number, now: number): Promise<HealthCode> {
    const c = await this.store.codes.current(personId);
    if (c && c.validUntil > now) return c;
    await this.recompute([personId], c ? 'validity ran out' : 'first request', now);
    return (await this.store.codes.current(personId))!;
  }

  /** The itinerary card: cities with a long enough continuous telecom stay, an asterisk where a medium/high area is now. */
  async itinerary(personId: number, now: number): Promise<ItineraryCard> {
    const e = this.edition;
    const stays = await this.store.presence.telecomStays(personId, now - e.itinerary.lookBackDays * DAY, now);
    const cities = itineraryCities(stays.map((s) => ({ cityCode: cityOf(s.regionCode), start: s.start, end: s.end })), e, now);
    const risky = new Set((await this.store.control.riskAreasAt(now)).filter((r) => r.level !== 'low').map((r) => cityOf(r.regionCode)));
    const names = new Map<string, string>();
    for (const c of cities) names.set(c.cityCode, (await this.store.regions.get(c.cityCode))?.name ?? c.cityCode);
    const closeNow = (await this.store.codes.factsOf([personId], now, 0))[0].contacts.some((c) => c.kind === 'close' && c.status !== 'released' && now - c.lastExposure <= e.itinerary.lookBackDays * DAY);
    return {
      colour: closeNow ? 'orange' : 'green', lookBackDays: e.itinerary.lookBackDays,
      cities: cities.map((c) => ({ cityCode: c.cityCode, name: names.get(c.cityCode)!, asterisk: risky.has(c.cityCode) })),
    };
  }

  /** Issues a signed token for the person's current code (what the phone shows as a QR). */
  async issue(personId: number, now: number): Promise<{ token: string; code: HealthCode; itinerary: ItineraryCard; expiresAt: number }> {
    const code = await this.codeOf(personId, now);
    const itinerary = await this.itinerary(personId, now);
    const { token, exp } = this.sign(personId, code.colour, itinerary.cities.some((c) => c.asterisk), now);
    return { token, code, itinerary, expiresAt: exp };
  }

  /** Signs a token for a person's colour and asterisk, and remembers it for online verification. */
  sign(personId: number, colour: CodeColour, asterisk: boolean, now: number): { token: string; exp: number } {
    const exp = now + this.edition.healthCode.tokenLifetimeSeconds;
    const jti = this.tokenId(now);
    const token = this.keys.signer().sign({ sub: this.pseudonyms.of(personId), c: colour, a: asterisk, iat: now, exp, jti });
    this.issued.set(jti, { token: Buffer.from(token), exp });
    this.prune(now);
    return { token, exp };
  }

  private tokenId(now: number): string {
    this.issuedCount = (this.issuedCount + 1) % JTI_COUNTER_SPAN;
    return tokenId(now, this.issuedCount, randomBytes(9));
  }

  // Stryker disable next-line BlockStatement: equivalent: a token not vouched for has its signature checked instead, with the same verdict (speed only)
  private readonly issuedHere = (jti: string, token: string): boolean => {
    const mine = this.issued.get(jti);
    // Stryker disable next-line ConditionalExpression: equivalent: a token not vouched for has its signature checked instead, with the same verdict (speed only)
    if (!mine) return false;
    const theirs = Buffer.from(token);
    // Stryker disable next-line ConditionalExpression: equivalent: a token not vouched for has its signature checked instead, with the same verdict (speed only)
    return theirs.length === mine.token.length && timingSafeEqual(theirs, mine.token);
  };

  /**
   * Verifies a token online: offline checks (form, key, signature, expiry), then the person behind the pseudonym,
   * a replay of a token already verified, and the person's colour now against the colour in the token. Passes only a
   * valid, fresh token of a person whose code is green now.
   */
  async verify(token: unknown, now: number): Promise<Verification> {
    const deny = (fault: OnlineFault, reason: string, extra: Partial<Verification> = {}): Verification =>
      ({ verdict: 'deny', colour: null, personId: null, fault, reasons: [reason], payload: null, ...extra });
    const offline = this.keys.verifier().verify(token, now, this.issuedHere);
    if (!offline.ok) return deny(offline.fault, `token ${offline.fault.replace(/_/g, ' ')}: ${offline.detail}`);
    const p = offline.payload;
    const personId = this.pseudonyms.personOf(p.sub);
    if (personId === null) return deny('unknown_person', 'the token names no person of this province', { payload: p });
    if (this.used.has(p.jti) || !(await this.claim(p.jti, p.exp, now))) return deny('replayed', 'this token was already presented; show a fresh code', { payload: p, personId });
    const colour = await this.colourNow(personId);
    if (!colour) return deny('unknown_person', 'no health code for this person', { payload: p, personId });
    if (colour !== p.c) return deny('code_changed', `the code turned ${colour} after this token was issued (${p.c})`, { payload: p, personId, colour });
    if (colour !== 'green') {
      // Stryker disable next-line OptionalChaining,ArrayDeclaration: equivalent: colourNow found the person's code, and codes are never deleted
      const reasons = (await this.store.codes.current(personId))?.reasons ?? [];
      return { verdict: 'deny', colour, personId, fault: null, reasons: reasons.map(gateReason), payload: p };
    }
    return { verdict: 'pass', colour: 'green', personId, fault: null, reasons: [], payload: p };
  }

  /**
   * Records a token id as used here and claims it in the store: true when no process had claimed it before. Claims
   * made in one turn of the event loop share one statement (one commit), so a busy checkpoint costs few writes.
   */
  private claim(jti: string, exp: number, now: number): Promise<boolean> {
    this.used.set(jti, exp);
    this.prune(now);
    return new Promise((done, failed) => {
      if (this.claims.push({ jti, exp, now, done, failed }) === 1) setTimeout(() => void this.flushClaims(), CLAIM_GATHER_MS);
    });
  }

  private async flushClaims(): Promise<void> {
    const batch = this.claims;
    this.claims = [];
    try {
      const first = await this.usedTokens.claim(batch, batch.reduce((m, c) => Math.max(m, c.now), 0));
      for (const c of batch) c.done(first.has(c.jti));
    } catch (e) {
      // Not known whether the store took them: the tokens are refused by the error (the request fails), and a retry
      // of the same token is refused here as a replay rather than risking a second pass.
      for (const c of batch) c.failed(e);
    }
  }

  /** Forgets shared token ids a minute after their tokens expired (the server's housekeeping calls this). */
  forgetUsedTokens(now: number): Promise<number> {
    return this.usedTokens.forget(now);
  }

  /** Closes the connection of the used-token store (Redis), if it has one. */
  close(): Promise<void> {
    return this.usedTokens.close();
  }

  /** Forgets used and issued tokens a minute after they expire (once a minute). */
  // Stryker disable next-line BlockStatement: equivalent: pruning only frees memory: a token is refused as expired before its id is looked up
  private prune(now: number): void {
    // Stryker disable next-line all: how often to prune only changes memory: entries go 60 s after expiry, when any token is refused as expired anyway
    if (now - this.lastPrune < 60) return;
    this.lastPrune = now;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: pruning only frees memory: an id forgotten here early is still claimed in the store, which refuses the replay
    for (const [k, x] of this.used) if (x + 60 < now) this.used.delete(k);
    // Stryker disable next-line all: an issued token forgotten early is verified by its signature instead, with the same verdict
    for (const [k, x] of this.issued) if (x.exp + 60 < now) this.issued.delete(k);
  }

  /** The pseudonym of a person in tokens (tests and the bench build tokens with it). */
  pseudonymOf(personId: number): string {
    return this.pseudonyms.of(personId);
  }
}
