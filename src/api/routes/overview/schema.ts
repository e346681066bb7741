/** The province's situation at a glance. */
import { z } from 'zod';

/**
 * Counts of the main tables and the live picture: `cases` stand (withdrawn ones left out); `contacts` are persons
 * under management (contact records of standing cases, not released nor become cases); `redCodes` / `yellowCodes`
 * persons whose current health code has that colour; `activeChains` clusters of two or more cases still active (a case
 * confirmed within the edition's follow-up days).
 */
export const Totals = z.object({
  persons: z.number().int(), households: z.number().int(), places: z.number().int(), presence: z.number().int(), cases: z.number().int(),
  contacts: z.number().int(), samples: z.number().int(), vaccinations: z.number().int(),
  redCodes: z.number().int(), yellowCodes: z.number().int(), activeChains: z.number().int(),
});

/** A city's counts (the cities of the province, each within the actor's reach). */
export const CityRow = z.object({
  code: z.string(), name: z.string(), persons: z.number().int(), places: z.number().int(), cases: z.number().int(), contacts: z.number().int(),
});

export type CityRow = z.infer<typeof CityRow>;

/** GET /api/overview: the province, its totals, its cities, and the protocol edition in force. */
export const Overview = z.object({ province: z.object({ code: z.string(), name: z.string() }), totals: Totals, cities: z.array(CityRow), edition: z.string() });
export type Overview = z.infer<typeof Overview>;
