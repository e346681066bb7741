/** The province's situation at a glance. */
import { z } from 'zod';

export const Totals = z.object({
  persons: z.number().int(), households: z.number().int(), places: z.number().int(), presence: z.number().int(), cases: z.number().int(),
  contacts: z.number().int(), samples: z.number().int(), vaccinations: z.number().int(),
});

export const CityRow = z.object({
  code: z.string(), name: z.string(), persons: z.number().int(), places: z.number().int(), cases: z.number().int(), contacts: z.number().int(),
});

export const Overview = z.object({ province: z.object({ code: z.string(), name: z.string() }), totals: Totals, cities: z.array(CityRow), edition: z.string() });
export type Overview = z.infer<typeof Overview>;
