/**
 * Closed vocabularies of the domain: each an `as const` array, a derived type and a zod validator.
 * Storage, API, import and UI all draw from these lists, so a new value is added in one place.
 */
import { z } from 'zod';

/** Levels of the administrative hierarchy, province down to the grid a worker is responsible for. */
export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'community', 'grid'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
export const RegionLevelSchema = z.enum(REGION_LEVELS);
/**
 * The length of a division code at each level (GB/T 2260 for province, city and county; the statistical divisions'
 * 9 and 12 digits for townships and communities; grids two digits below their community): a unit's code at a level
 * above is its own code's prefix of that length.
 */
export const CODE_LENGTH: Readonly<Record<RegionLevel, number>> = { province: 2, city: 4, county: 6, township: 9, community: 12, grid: 14 };

/** Kinds of place where people are recorded as present. */
export const PLACE_CATEGORIES = [
  'residence', 'household', 'office', 'workshop', 'factory', 'classroom', 'training_institution', 'restaurant',
  'cinema', 'bar', 'chess_card_room', 'ktv', 'market', 'mall', 'scenic_spot', 'theatre', 'hotel', 'hospital',
  'clinic', 'airport', 'rail_station', 'bus_station', 'tollgate', 'telecom_cell', 'vehicle', 'compound_gate',
] as const;
export type PlaceCategory = (typeof PLACE_CATEGORIES)[number];
export const PlaceCategorySchema = z.enum(PLACE_CATEGORIES);

/** Operating status of a place; closed and rectifying follow venue orders. */
export const PLACE_STATUSES = ['open', 'closed', 'rectifying'] as const;
export type PlaceStatus = (typeof PLACE_STATUSES)[number];
export const PlaceStatusSchema = z.enum(PLACE_STATUSES);

/** Where a presence record came from (which agency's feed, or an investigation). */
export const PRESENCE_SOURCES = [
  'venue_scan', 'gate_registration', 'hotel_checkin', 'transport_seat', 'telecom_stay', 'household', 'workplace',
  'self_report', 'investigation',
] as const;
export type PresenceSource = (typeof PRESENCE_SOURCES)[number];
export const PresenceSourceSchema = z.enum(PRESENCE_SOURCES);

/** Modes of transport whose manifests carry seats. */
export const TRIP_MODES = ['flight', 'train', 'coach', 'ship'] as const;
export type TripMode = (typeof TRIP_MODES)[number];
export const TripModeSchema = z.enum(TRIP_MODES);

/** Vehicle settings the protocol distinguishes when deciding who on board is a close contact. */
export const VEHICLE_SETTINGS = [
  'aircraft', 'train_enclosed', 'train_open', 'coach_sealed', 'coach_ventilated', 'ship',
] as const;
export type VehicleSetting = (typeof VEHICLE_SETTINGS)[number];
export const VehicleSettingSchema = z.enum(VEHICLE_SETTINGS);

export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];
export const SexSchema = z.enum(SEXES);

/** A case is a confirmed case or an asymptomatic infection. */
export const CASE_KINDS = ['confirmed', 'asymptomatic'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CaseKindSchema = z.enum(CASE_KINDS);

/** Clinical severity (national diagnosis and treatment protocol classes). */
export const SEVERITIES = ['none', 'mild', 'moderate', 'severe', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const SeveritySchema = z.enum(SEVERITIES);

/** Where a case's treatment ended: still in treatment, recovered or discharged from hospital, died, or transferred out of the province. */
export const CASE_OUTCOMES = ['in_treatment', 'recovered', 'discharged', 'died', 'transferred_out'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];
export const CaseOutcomeSchema = z.enum(CASE_OUTCOMES);

/** How a case was found. */
export const DETECTION_ROUTES = ['symptoms', 'contact_screening', 'routine_screening', 'mass_testing', 'checkpoint', 'imported'] as const;
export type DetectionRoute = (typeof DETECTION_ROUTES)[number];
export const DetectionRouteSchema = z.enum(DETECTION_ROUTES);

/** Kinds of person under management because of a case. */
export const CONTACT_KINDS = ['close', 'secondary', 'companion', 'general'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const ContactKindSchema = z.enum(CONTACT_KINDS);

/**
 * A contact's status through its life: identified by tracing, notified, in quarantine (centralized or at home), in
 * home monitoring, released, became a case, lost to follow-up.
 */
export const CONTACT_STATUSES = [
  'identified', 'notified', 'in_quarantine', 'home_monitoring', 'released', 'became_case', 'lost_to_follow_up',
] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];
export const ContactStatusSchema = z.enum(CONTACT_STATUSES);

/**
 * Where a contact record came from: the tracing engine (presence and the household registry), an investigator's
 * entry, or the upgrade rule (a secondary contact whose close contact turned positive is a close contact of that case).
 */
export const CONTACT_ORIGINS = ['tracing', 'investigator', 'upgrade'] as const;
export type ContactOrigin = (typeof CONTACT_ORIGINS)[number];
export const ContactOriginSchema = z.enum(CONTACT_ORIGINS);

/** The settings of PROTOCOL.md that make a close contact; `manual` is an investigator's judgement with a reason. */
export const CONTACT_SETTINGS = [
  'household', 'care', 'aerosol_procedure', 'work_study', 'dining_entertainment', 'visit', 'vehicle',
  'contaminated_environment', 'shared_facility', 'adjacent_table', 'companion_cell', 'manual',
] as const;
export type ContactSetting = (typeof CONTACT_SETTINGS)[number];
export const ContactSettingSchema = z.enum(CONTACT_SETTINGS);

export const SAMPLE_METHODS = ['single', 'pooled'] as const;
export type SampleMethod = (typeof SAMPLE_METHODS)[number];
export const SampleMethodSchema = z.enum(SAMPLE_METHODS);

export const TEST_RESULTS = ['pending', 'negative', 'positive', 'invalid'] as const;
export type TestResult = (typeof TEST_RESULTS)[number];
export const TestResultSchema = z.enum(TEST_RESULTS);

export const QUARANTINE_KINDS = ['centralized', 'home_quarantine', 'home_monitoring'] as const;
export type QuarantineKind = (typeof QUARANTINE_KINDS)[number];
export const QuarantineKindSchema = z.enum(QUARANTINE_KINDS);

export const CODE_COLOURS = ['green', 'yellow', 'red'] as const;
export type CodeColour = (typeof CODE_COLOURS)[number];
export const CodeColourSchema = z.enum(CODE_COLOURS);

/**
 * Conditions the health code engine recognises; the protocol edition says which of them make a code red or yellow
 * (a condition the edition lists under neither is ignored).
 */
export const CODE_CONDITIONS = [
  'case', 'post_discharge_management', 'close_contact_in_centralized_quarantine', 'secondary_contact_in_centralized_quarantine', 'contact_in_home_quarantine',
  'positive_single_tube', 'home_monitoring', 'companion', 'positive_pool_awaiting_retest', 'abnormal_temperature',
  'symptoms_reported', 'arrival_from_risk_area_untested', 'overdue_required_test', 'arrival_in_centralized_quarantine', 'arrival_in_home_quarantine', 'deceased',
] as const;
export type CodeCondition = (typeof CODE_CONDITIONS)[number];
export const CodeConditionSchema = z.enum(CODE_CONDITIONS);

/** Steps a checkpoint policy can require, in the order they are applied. */
export const CHECK_STEPS = [
  'verify_code', 'code_green', 'itinerary_green', 'temperature', 'vaccination', 'arrival_test', 'venue_open', 'register', 'disinfect',
] as const;
export type CheckStep = (typeof CHECK_STEPS)[number];
export const CheckStepSchema = z.enum(CHECK_STEPS);

/** Itinerary card colours: orange for a close contact, yellow for abroad, green otherwise. */
export const ITINERARY_COLOURS = ['green', 'yellow', 'orange'] as const;
export type ItineraryColour = (typeof ITINERARY_COLOURS)[number];
export const ItineraryColourSchema = z.enum(ITINERARY_COLOURS);

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RiskLevelSchema = z.enum(RISK_LEVELS);

export const CHECKPOINT_KINDS = ['airport', 'rail_station', 'bus_station', 'tollgate', 'community_gate', 'venue', 'medical_institution', 'cargo'] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];
export const CheckpointKindSchema = z.enum(CHECKPOINT_KINDS);

export const CHECK_VERDICTS = ['pass', 'deny'] as const;
export type CheckVerdict = (typeof CHECK_VERDICTS)[number];
export const CheckVerdictSchema = z.enum(CHECK_VERDICTS);

/**
 * A task's life: assigned to a unit (its owner a user, or the role at that unit), accepted, in progress, done (with
 * evidence), cancelled; past its deadline it is escalated to the level above at once, or overdue when it has none.
 */
export const TASK_STATUSES = ['assigned', 'accepted', 'in_progress', 'done', 'overdue', 'escalated', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const TaskStatusSchema = z.enum(TASK_STATUSES);
/** The statuses of a task still open: neither done nor cancelled. */
export const OPEN_TASK_STATUSES: readonly TaskStatus[] = TASK_STATUSES.filter((s) => s !== 'done' && s !== 'cancelled');

/**
 * Kinds of task the event flow creates (the command mechanism of PROTOCOL.md): a new close contact is moved to
 * centralized quarantine; the members of a positive pooled sample are retested by single tube; a unit graded a risk
 * area is sealed and managed; the places under a venue order are inspected, per county; a released contact is followed
 * up; a person whose required test is overdue is visited door to door; a person under follow-up who reports a fever or a
 * symptom is checked (a single-tube sample, the fever clinic). A directive's tasks take the directive's own kind (`DIRECTIVE_KINDS`).
 */
export const EVENT_TASK_KINDS = ['transfer_to_quarantine', 'single_tube_retest', 'seal_and_manage', 'inspect_venues', 'follow_up', 'door_to_door', 'fever_check', 'confirm_positive'] as const;
export type EventTaskKind = (typeof EVENT_TASK_KINDS)[number];

/**
 * Symptoms a daily follow-up report records (the protocol's common symptoms of COVID-19: fever is the temperature
 * itself; dry cough, fatigue, reduced smell or taste, nasal congestion, runny nose, sore throat, conjunctivitis,
 * muscle ache, diarrhoea; and shortness of breath).
 */
export const SYMPTOMS = [
  'dry_cough', 'fatigue', 'smell_or_taste_loss', 'nasal_congestion', 'runny_nose', 'sore_throat', 'conjunctivitis', 'muscle_ache', 'diarrhoea', 'shortness_of_breath',
] as const;
export type Symptom = (typeof SYMPTOMS)[number];
export const SymptomSchema = z.enum(SYMPTOMS);

/** Kinds of hospital treating cases: a designated hospital, or a shelter (fangcang) hospital for mild cases (ed9). */
export const HOSPITAL_KINDS = ['designated', 'shelter'] as const;
export type HospitalKind = (typeof HOSPITAL_KINDS)[number];
export const HospitalKindSchema = z.enum(HOSPITAL_KINDS);

/** How an admission ends: discharged (recovered), died, or transferred out to another hospital. */
export const DISCHARGE_OUTCOMES = ['discharged', 'died', 'transferred_out'] as const;
export type DischargeOutcome = (typeof DISCHARGE_OUTCOMES)[number];
export const DischargeOutcomeSchema = z.enum(DISCHARGE_OUTCOMES);

/**
 * Kinds of treatment recorded for an admitted case (the diagnosis and treatment protocol's headings); each treatment
 * also carries its own flag for traditional Chinese medicine (TCM), which the TCM participation rate counts.
 */
export const TREATMENT_KINDS = ['antiviral', 'tcm_decoction', 'tcm_patent_medicine', 'oxygen', 'high_flow_oxygen', 'mechanical_ventilation', 'ecmo', 'immunotherapy', 'convalescent_plasma', 'other'] as const;
export type TreatmentKind = (typeof TREATMENT_KINDS)[number];
export const TreatmentKindSchema = z.enum(TREATMENT_KINDS);

/** The care a stranded visitor is given at a designated hotel (free of charge): meals, medicine, counselling. */
export const CARE_KINDS = ['meals', 'medicine', 'counselling'] as const;
export type CareKind = (typeof CARE_KINDS)[number];
export const CareKindSchema = z.enum(CARE_KINDS);

/** Who recorded a daily follow-up report: the site's staff, a grid worker, or the resident on their own page. */
export const REPORT_SOURCES = ['site_staff', 'grid_worker', 'resident'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** Kinds of measure a command centre issues as a directive (their default deadlines are in the protocol edition). */
export const DIRECTIVE_KINDS = ['mass_testing', 'door_to_door', 'venue_inspection', 'seal_and_manage', 'supplies', 'publicity', 'other'] as const;
export type DirectiveKind = (typeof DIRECTIVE_KINDS)[number];
export const DirectiveKindSchema = z.enum(DIRECTIVE_KINDS);

export const VENUE_ORDER_ACTIONS = ['close', 'rectify'] as const;
export type VenueOrderAction = (typeof VENUE_ORDER_ACTIONS)[number];
export const VenueOrderActionSchema = z.enum(VENUE_ORDER_ACTIONS);

/** Kinds of data the import command reads. */
export const IMPORT_KINDS = ['persons', 'places', 'presence', 'cases', 'samples', 'vaccinations'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const ImportKindSchema = z.enum(IMPORT_KINDS);
