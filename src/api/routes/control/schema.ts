/** Risk areas as the API answers them (GET /api/risk-areas and its history); the web app takes its types from here (type-only imports; plain zod). */
import { z } from 'zod';
import { RiskLevelSchema } from '../../../domain/vocab.ts';

/** As `IsoTime` of ../common.ts (which this module does not import: it pulls in server code). */
const Time = z.string().describe('ISO-8601 date-time, +08:00');

/** A unit's grading: its level since when, until its review, under which rule set, and why. */
export const RiskAreaOut = z.object({
  regionCode: z.string(), name: z.string().nullable(), level: RiskLevelSchema, since: Time, reviewAt: Time.nullable(), ruleSet: z.string(), reason: z.string(),
  /** The reason as a code and its numbers (days, counts) for any language: codes in domain/rules/riskAreas.ts; 'text' for gradings older than the codes. */
  reasonCode: z.string(), reasonArgs: z.record(z.string(), z.number()),
});
export type RiskAreaOut = z.infer<typeof RiskAreaOut>;

/** GET /api/risk-areas: the published list, with the rule set of the edition in force. */
export const RiskAreaList = z.object({ ruleSet: z.string(), items: z.array(RiskAreaOut) });
export type RiskAreaList = z.infer<typeof RiskAreaList>;
