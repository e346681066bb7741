/**
 * Parameters of the synthetic province, each with its source or stated as an assumption. docs/synth.md explains them.
 * These are the simulator's own world facts (how people live and how the virus spreads); the platform's rules come
 * from the protocol edition and never from here.
 */
import type { PlaceCategory } from '../domain/vocab.ts';

/** Age bands (upper bound exclusive) and shares: 2020 census, Hunan (0-14 19.5%, 15-59 60.6%, 60+ 19.9%), split evenly within bands. */
export const AGE_BANDS: [number, number, number][] = [[0, 6, 0.075], [6, 15, 0.12], [15, 19, 0.05], [19, 23, 0.05], [23, 60, 0.506], [60, 90, 0.199]];

/** Occupations of working-age adults (assumption from Hunan's employment structure: primary ~ 37%, secondary ~ 22%, tertiary ~ 41%). */
export const OCCUPATIONS = ['none', 'student', 'office', 'factory', 'service', 'farmer', 'retired'] as const;
export const ADULT_OCCUPATION_SHARES: [number, number, number, number, number] = [0.2, 0.22, 0.21, 0.27, 0.1]; // office, factory, service, farmer, none

/** Places per 1,000 residents by category (assumptions, order-of-magnitude from city statistics). */
export const PLACES_PER_1000: Partial<Record<PlaceCategory, number>> = {
  restaurant: 4, market: 0.3, mall: 0.1, cinema: 0.05, theatre: 0.01, bar: 0.2, ktv: 0.1, chess_card_room: 0.4, hotel: 0.25,
  hospital: 0.03, clinic: 0.3, training_institution: 0.2, bus_station: 0.01, tollgate: 0.01,
};
/**
 * Hotels per 1,000 residents in tourist cities, overriding the general rate: Zhangjiajie (4308) and Xiangxi (4331,
 * Fenghuang) lodge far more visitors than residents (assumption: Zhangjiajie has on the order of 3,000 hotels and
 * guesthouses for 1.5 million residents).
 */
export const TOURIST_HOTELS_PER_1000: Record<string, number> = { '4308': 2, '4331': 1 };
/** Workers per office, per factory; students per class. */
export const OFFICE_SIZE = 25;
export const FACTORY_SIZE = 120;
export const CLASS_SIZE = 45;
/** Zipf exponent of venue popularity within a city and category (the benchmark's CT14 uses 0.8). */
export const ZIPF_S = 0.8;

/** Leisure and errand visits per person per day, and the categories they go to (weights). */
export const VISITS_PER_DAY = 0.35;
export const VISIT_CATEGORIES: [PlaceCategory, number][] = [
  ['restaurant', 45], ['market', 20], ['mall', 8], ['chess_card_room', 8], ['bar', 4], ['ktv', 4], ['cinema', 4], ['clinic', 3], ['training_institution', 4],
];
/** Share of persons who scan venue codes, and how often they then do (assumption: compliance was high but not total in 2021). */
export const SCANNER_SHARE = 0.85;
export const SCAN_RATE = 0.8;
/** Share of workplaces and schools whose attendance reaches the platform (factories with gates, schools). */
export const ATTENDANCE_FEED_SHARE = 0.3;
/** Share of gate entries registered at compound gates. */
export const GATE_REGISTRATION_RATE = 0.1;
/** Chance per person per day of starting an intercity trip, and of it going to Zhangjiajie (tourism). */
export const TRIP_RATE = 0.004;
export const ZHANGJIAJIE_SHARE = 0.35;
/**
 * Telecom: the feed for tracing carries the home-cell stay and non-routine stays (not the daily work cell, which the
 * workplace registry covers); stays shorter than this are not reported; times are rounded to this many minutes; a
 * share of stays is lost to handovers between cells.
 */
export const TELECOM_REPORTED_SHARE = 0.7;
export const TELECOM_MIN_STAY_MIN = 10;
export const TELECOM_ROUND_MIN = 10;
/** Routine testing: share of persons sampled per day (key posts, mass screening), pooled 10-in-1. */
export const ROUTINE_TEST_RATE = 0.01;
export const POOL_SIZE = 10;
/** Vaccination coverage by mid-2021 (assumption): adults with at least one dose, and with two. */
export const VACCINATED_ONE = 0.75;
export const VACCINATED_TWO = 0.55;

/**
 * Transmission probabilities per susceptible person sharing the setting (assumptions): household 0.06 a day gives a
 * secondary attack rate of ~ 25% over an infectious period (Delta, Guangdong 2021); shared rooms are per co-present
 * person, so large workplaces and venues stay plausible (R ~ 2 without intervention).
 */
export const TRANSMISSION = {
  householdPerDay: 0.06,
  diningPerHour: 0.006,
  workPerDay: 0.003,
  generalPerHour: 0.0005,
  hotelPerDay: 0.002,
  /** Per hour on board, by seat distance (rows): same row, 1, 2-3, farther. */
  vehiclePerHour: [0.08, 0.04, 0.015, 0.002],
  asymptomaticRelative: 0.5,
};

/**
 * A banquet hosted by each further index case (`--index-cases`): on day 1, 2 or 3 (in turn), 18:00 for 3.5 hours at a
 * restaurant of the host's city, with 200 guests drawn from the city's adults (wedding and birthday banquets of that
 * size were common settings of Hunan's 2021 clusters; the size is an assumption).
 */
export const GATHERING = { firstDay: 1, days: 3, startHour: 18, hours: 3.5, guests: 200 };

/** Natural history (Delta): incubation gamma mean/sd days; infectious from 2 days before onset; asymptomatic share. */
export const NATURAL_HISTORY = { incubationMean: 4.4, incubationSd: 1.9, infectiousBeforeOnsetDays: 2, asymptomaticShare: 0.3, infectiousDays: 10 };
/** Detection: days from onset to sampling (uniform range), hours from sampling to confirmation, daily detection chance of the asymptomatic. */
export const DETECTION = { onsetToSampleDays: [0.5, 2.5] as const, sampleToConfirmHours: [8, 30] as const, asymptomaticDailyDetection: 0.06 };
