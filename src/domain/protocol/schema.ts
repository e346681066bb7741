/**
 * The protocol edition: every number of the national prevention and control protocol that Cordon applies,
 * as data. Editions live in `protocol/*.json` and are validated against this schema when loaded, so a province
 * can switch or edit an edition without a release.
 */
import { z } from 'zod';
import {
  CHECKPOINT_KINDS, CheckStepSchema, CodeConditionSchema, ContactSettingSchema, PlaceCategorySchema, VehicleSettingSchema, type CheckpointKind,
} from '../vocab.ts';

const hours = z.number().nonnegative();
const days = z.number().int().nonnegative();
const testDays = z.array(z.number().int().nonnegative()).min(1);

/** A distribution of days (incubation, serial interval) given by its mean and standard deviation, gamma-shaped. */
const DistributionSchema = z.object({ mean: z.number().positive(), sd: z.number().positive(), source: z.string() });

/** Who on board a vehicle is a close contact of a case on board. */
const VehicleRuleSchema = z.object({
  scope: z.enum(['rows', 'carriage', 'compartment', 'compartment_or_adjacent_bays', 'all_on_board', 'cabin']),
  /** For `rows`: rows in front of and behind the case's row that count. */
  rowsEachSide: days.optional(),
  crew: z.boolean(),
  note: z.string().optional(),
});

const ManagementSchema = z.object({
  /** Where the person is held, and for how long. */
  kind: z.enum(['centralized', 'home_quarantine', 'home_monitoring']),
  days,
  testDays,
  followedBy: z.object({ kind: z.enum(['home_monitoring', 'home_quarantine']), days, testDays }).nullable(),
  /** Counted from the last exposure (ed9) or from the start of quarantine. */
  countedFrom: z.enum(['last_exposure', 'quarantine_start']),
});

const RiskRuleSetSchema = z.object({
  id: z.enum(['county-2020', 'street-2021', 'ed9-2022']),
  unit: z.enum(['county', 'township', 'community']),
  /** county-2020 and street-2021: thresholds on cumulative cases and clusters within a window. */
  highCumulativeCasesAbove: z.number().int().nullable(),
  clusterMinCases: z.number().int().nullable(),
  windowDays: days,
  /** Days without a new case after which an area steps down; the keys are the level it leaves. */
  downgradeDays: z.object({ high: days, medium: days }),
  /** ed9: a high-risk area that stepped down stays medium this many days (then low); null: medium's own days. */
  mediumAfterHighDays: days.nullable(),
  /** ed9: a place where a case stayed at least this long while infectious makes its unit medium; null: not used. */
  mediumMinStayMinutes: z.number().nonnegative().nullable(),
  unconfirmed: z.boolean(),
});

export const ProtocolEditionSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string(),
  effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  sources: z.array(z.string()).min(1),
  /**
   * Plausible times: a time that enters Cordon (a feed, the API, the CLI) before `earliest` (a local date) or more
   * than `futureToleranceHours` after the server's now is refused; a what-if read may look `whatIfDays` ahead.
   */
  timeBounds: z.object({
    earliest: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    futureToleranceHours: hours,
    whatIfDays: days,
  }),
  caseWindow: z.object({
    /** Days before onset (or before sampling when asymptomatic) from which a case counts as infectious. */
    daysBeforeOnset: days,
    /** ed9: a case found by routine screening is infectious from its last negative test. */
    fromLastNegativeWhenScreened: z.boolean(),
  }),
  closeContact: z.object({
    settings: z.array(ContactSettingSchema).min(1),
    /**
     * Which setting presence at each category of place counts as: a close-contact setting, `vehicle` (seat rules),
     * `companion` (telecom cells: the companion rule), or `general` (shared but not close: general contacts).
     */
    settingByCategory: z.record(PlaceCategorySchema, z.union([ContactSettingSchema, z.literal('general'), z.literal('companion')])),
    /** Minimum overlap (minutes) in each setting for it to count (unconfirmed defaults; editable). */
    minOverlapMinutes: z.record(z.string(), z.number().nonnegative()),
    vehicles: z.record(VehicleSettingSchema, VehicleRuleSchema),
    management: ManagementSchema,
    transferWithinHours: hours,
    releaseSamples: z.number().int().positive(),
    /** Whether the negatives release needs come from as many different labs (ed8: two reagents, two labs). */
    releaseDistinctLabs: z.boolean(),
  }),
  secondaryContact: z.object({
    management: ManagementSchema,
    /** Released on the last day if the close contact's first N tests and their own are negative. */
    releaseAfterCloseContactNegatives: z.number().int().nonnegative(),
    /** Their own negative single-tube samples from the last day that release needs. */
    releaseSamples: z.number().int().positive(),
  }),
  caseManagement: z.object({
    /** After discharge (or recovery), a case stays under management this long, counted from the outcome's time. */
    afterDischarge: z.object({ kind: z.enum(['centralized', 'home_quarantine', 'home_monitoring']), days, note: z.string().optional() }),
  }),
  companion: z.object({
    cellSizeMeters: z.number().positive(),
    minOverlapMinutes: z.number().positive(),
    minCumulativeHours: z.number().positive(),
    lookBackDays: days,
    testsRequired: z.number().int().positive(),
    testsWithinDays: days,
    testsMinHoursApart: hours,
  }),
  naturalHistory: z.object({
    incubation: DistributionSchema,
    // R(t) takes the serial interval as one day plus a gamma-distributed time (Cori et al. 2013): its mean exceeds a day.
    serialInterval: DistributionSchema.refine((d) => d.mean > 1, { message: 'the serial interval\'s mean must exceed 1 day', path: ['mean'] }),
    asymptomaticShare: z.number().min(0).max(1),
    /** A case is infectious from this many days before onset (or sampling, when asymptomatic) until isolated. */
    infectiousBeforeOnsetDays: z.number().nonnegative(),
    /** An infected person is not infectious for at least this many days after their own infection (the latent period's lower bound). */
    minLatentDays: z.number().nonnegative(),
  }),
  /**
   * Chains of transmission: what is an exposure event, and the likelihood's weights of infector inference
   * (`src/domain/chains/infector.ts`, `events.ts`).
   */
  chains: z.object({
    /** Place categories where cases meeting is no exposure by default: screening queues, fever clinics, patients tested at a hospital. */
    nonExposureCategories: z.array(PlaceCategorySchema),
    /** Settings whose exposure events are clusters of their own; spread in other settings (a household) stays in its infector's cluster. */
    clusterSettings: z.array(z.union([ContactSettingSchema, z.literal('general')])),
    /** Exposures at one place separated by at most this many hours are one event. */
    eventGapHours: hours,
    /** An event spans at most this many days from its first exposure; later exposures at the place begin another. */
    eventMaxDays: z.number().positive(),
    /**
     * Two cases in one telecom cell at one time are a shared place when their overlaps there (each at least the
     * companion rule's `minOverlapMinutes`) add up to at least this many minutes in the look-back. Far below the
     * companion rule's `minCumulativeHours`, which picks companions out of every resident by where a phone lives:
     * between confirmed cases, who are few, one meal's or one shift's overlap in a cell is already a lead.
     */
    caseCellMinMinutes: z.number().nonnegative(),
    /** An event is a node of the chains when at least this many cases were exposed there. */
    minCasesExposed: z.number().int().min(1),
    /** Relative likelihood of infection per setting of the exposure; settings not listed take `otherSettingWeight`. */
    settingWeights: z.partialRecord(ContactSettingSchema, z.number().positive()),
    otherSettingWeight: z.number().positive(),
    /** Weight of an exposure outside the candidate's infectious window, or after the case's own onset (dates are approximate). */
    implausibleWeight: z.number().positive().max(1),
    /** Relative infectiousness of an asymptomatic infection (a candidate's likelihood is multiplied by it). */
    asymptomaticRelative: z.number().positive().max(1),
    /** Likelihood (per day, as the candidates' densities) that the source is none of the candidates. */
    sourceUnknownLikelihood: z.number().positive(),
  }),
  healthCode: z.object({
    red: z.array(CodeConditionSchema).min(1),
    yellow: z.array(CodeConditionSchema).min(1),
    companionGreenAfterNegatives: z.number().int().positive(),
    /** Yellow after a temperature above the checkpoint limit, until a normal reading or this many hours. */
    abnormalTemperatureHours: hours,
    /** How long a green code stands before it is evaluated again. */
    greenValidHours: hours,
    /** Lifetime of a signed code (the QR shown on a phone), in seconds. */
    tokenLifetimeSeconds: z.number().int().min(10).max(3600),
    /** Grace after a required test day before the test counts as overdue. */
    overdueAfterHours: hours,
  }),
  itinerary: z.object({
    minStayHours: hours,
    lookBackDays: days,
    /** Telecom stays in one city separated by at most this gap count as one continuous stay. */
    mergeGapMinutes: z.number().nonnegative(),
  }),
  checkpoint: z.object({
    maxTemperatureC: z.number().min(35).max(42),
    testValidHoursFromLocalCaseProvinces: hours,
    testValidHoursOtherwise: hours,
    retestWithinHoursOfArrival: hours,
    medicalStaffTestEveryDays: days,
    /** Readings outside this range are refused as bad input (a broken thermometer), not judged. */
    plausibleTemperatureC: z.object({ min: z.number(), max: z.number() }),
    /** Per kind of checkpoint: the steps applied, and how long a registered entry counts as presence for tracing. */
    policies: z.object(Object.fromEntries(CHECKPOINT_KINDS.map((k) => [k, z.object({ steps: z.array(CheckStepSchema).min(1), presenceMinutes: z.number().nonnegative() })])) as Record<CheckpointKind, z.ZodObject<{ steps: z.ZodArray<typeof CheckStepSchema>; presenceMinutes: z.ZodNumber }>>),
  }),
  riskAreas: z.object({
    ruleSet: RiskRuleSetSchema,
    /**
     * Arrivals from a high- or medium-risk area (PROTOCOL.md, "Risk areas"): held `kind` for `days` counted from their
     * departure, tested on `testDays` (day 1 = the day counted from), released with `releaseSamples` negative
     * single-tube samples from the last day.
     */
    arrivalsFromHigh: z.object({ kind: z.enum(['centralized', 'home_quarantine', 'none']), days, testDays: z.array(z.number().int().positive()), releaseSamples: z.number().int().nonnegative() }),
    arrivalsFromMedium: z.object({ kind: z.enum(['centralized', 'home_quarantine', 'none']), days, testDays: z.array(z.number().int().positive()), releaseSamples: z.number().int().nonnegative() }),
  }),
  testing: z.object({
    poolSize: z.object({ low: z.number().int().positive(), precaution: z.number().int().positive(), medium: z.number().int().positive(), high: z.number().int().positive() }),
    cityRoundDays: z.array(z.object({ maxPopulation: z.number().int().positive().nullable(), days })).min(1),
    minRounds: z.number().int().positive(),
  }),
  investigation: z.object({ completeWithinHours: hours, lookBackDaysBeforeOnset: days }),
  /**
   * Daily follow-up of persons in quarantine or home monitoring: each reports a temperature and symptoms every day (a
   * temperature above `checkpoint.maxTemperatureC` or a symptom makes the code's `abnormal_temperature` or
   * `symptoms_reported` reason and a `fever_check` task); after `lostAfterMissedDays` whole days without a report they
   * are listed as lost to follow-up.
   */
  followUp: z.object({ lostAfterMissedDays: z.number().int().positive(), note: z.string().optional() }),
  /**
   * The command mechanism: hours the event flow's tasks are due in (a close contact's transfer is due in
   * `closeContact.transferWithinHours`), and each directive kind's default deadline in hours.
   */
  command: z.object({
    taskWithinHours: z.object({
      single_tube_retest: hours, seal_and_manage: hours, inspect_venues: hours, follow_up: hours, door_to_door: hours, rectification: hours, fever_check: hours, confirm_positive: hours,
      code_appeal: hours.describe('a resident\'s appeal against their health code, reviewed by the investigators of their county (local practice: a day)'),
    }),
    directiveWithinHours: z.object({
      mass_testing: hours, door_to_door: hours, venue_inspection: hours, seal_and_manage: hours, supplies: hours, publicity: hours, other: hours,
    }),
  }),
});

/** A validated protocol edition. */
export type ProtocolEdition = z.infer<typeof ProtocolEditionSchema>;
