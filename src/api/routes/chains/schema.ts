/**
 * An investigator's verdict on a link between two cases as the API takes and answers it (POST /api/links), and the
 * chains as GET /api/chains answers them; the web app takes its types from here (type-only imports). The chains have
 * no zod schema (a response schema would make the serializer walk every chain and link of a province's answer): their
 * type is the type of `presentChains`, what the route sends, so the page cannot drift from it either.
 */
import { z } from 'zod';
import { chainName, numberedLink, type ChainLink } from '../../../domain/chains/chains.ts';
import { enteredEventId } from '../../../domain/chains/events.ts';
import type { ChainsView } from '../../../services/chains.ts';
import { ContactSettingSchema } from '../../../domain/vocab.ts';
import { Id, iso, PlainText, said, Text, TimeText } from '../common.ts';

/** POST /api/links: the link (infector, infectee), confirmed or rejected, with an optional note. */
export const LinkBody = z.strictObject({ infectorCaseId: Id, infecteeCaseId: Id, verdict: z.enum(['confirmed', 'rejected', 'cleared']).describe('cleared: withdraws an earlier verdict on the pair (an undone confirmation or rejection)'), note: Text.max(2000).nullable().default(null) })
  .refine((b) => b.infectorCaseId !== b.infecteeCaseId, { message: 'a case cannot infect itself', path: ['infecteeCaseId'] });
/** The body as sent (`note` may be left out). */
export type LinkBody = z.input<typeof LinkBody>;
/** The verdict as stored. */
export const LinkOut = z.object({
  infectorCaseId: z.number().int(), infecteeCaseId: z.number().int(), verdict: z.enum(['confirmed', 'rejected', 'cleared']), note: z.string().nullable(),
  warnings: z.array(z.object({ code: z.literal('INFECTOR_ONSET_LATER'), infectorOnset: z.string(), infecteeOnset: z.string(), message: z.string() }))
    .describe('taken, but worth a second look: INFECTOR_ONSET_LATER when the confirmed infector fell ill after the infectee'),
});
export type LinkOut = z.infer<typeof LinkOut>;

/**
 * POST /api/exposure-events: a place (an id, or only a name) and its window (times in China Standard Time unless an
 * offset is given), the cases infectious there and the cases exposed there. `start` and `end` are required: an event
 * with no window is refused with 400 VALIDATION_FAILED (the body's schema).
 */
export const ExposureEventBody = z.strictObject({
  name: said(200, PlainText).nullable().default(null).describe('one line; without it, the place\'s name (one of the two is needed: 400 VALIDATION_FAILED)'), setting: ContactSettingSchema.default('manual'), placeId: Id.nullable().default(null), start: TimeText, end: TimeText,
  sourceCaseIds: z.array(Id).max(1000).default([]), exposedCaseIds: z.array(Id).min(1).max(10000), note: Text.max(2000).nullable().default(null),
});
export type ExposureEventBody = z.input<typeof ExposureEventBody>;
export const ExposureEventOut = z.object({
  id: z.number().int(), name: z.string(), setting: z.string(), placeId: z.number().int().nullable(), start: z.string(), end: z.string(),
  sourceCaseIds: z.array(z.number().int()), exposedCaseIds: z.array(z.number().int()), note: z.string().nullable(),
});
export type ExposureEventOut = z.infer<typeof ExposureEventOut>;

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * GET /api/chains as sent: times as ISO text, each case named by its number, the five best candidates of each
 * inference; an event an investigator entered with its id (`enteredId`, what POST /api/exposure-events/:id/withdraw
 * takes; null for an event from evidence).
 */
export function presentChains(v: ChainsView, lang: 'zh' | 'en') {
  const numbered = (l: ChainLink) => numberedLink(l, v.caseNo);
  return {
    indicators: { ...v.indicators, reproductionByWeek: v.indicators.reproductionByWeek.map((w) => ({ ...w, weekStart: iso(w.weekStart) })) },
    reproduction: {
      ...v.reproduction,
      windows: v.reproduction.windows.map((w) => ({
        start: iso(w.start)!, end: iso(w.end)!, cases: w.cases, mean: r3(w.mean), sd: r3(w.sd), median: r3(w.median), lower: r3(w.lower), upper: r3(w.upper), provisional: w.provisional,
      })),
    },
    chains: v.chains.map((c) => ({
      ...c, name: chainName(c.naming, lang), caseNos: c.caseIds.map(v.caseNo), firstOnset: iso(c.firstOnset), lastConfirmed: iso(c.lastConfirmed),
      links: c.links.map(numbered), sourceLinks: c.sourceLinks.map(numbered),
    })),
    events: v.events.map((e) => ({ ...e, enteredId: enteredEventId(e.key), start: iso(e.start)!, end: iso(e.end)!, sourceNos: e.sources.map(v.caseNo), exposedNos: e.exposed.map(v.caseNo) })),
    rejected: v.rejected.map((l) => ({ ...l, enteredAt: iso(l.enteredAt)!, infectorNo: v.caseNo(l.infector), infecteeNo: v.caseNo(l.infectee) })),
    inferences: v.inferences.map((i) => ({
      ...i, sourceUnknownProbability: r3(i.sourceUnknownProbability), caseNo: v.caseNo(i.caseId),
      candidates: i.candidates.slice(0, 5).map((c) => ({
        ...c, score: Math.round(c.score * 100) / 100, probability: r3(c.probability), exposureStart: c.exposureStart === undefined ? null : iso(c.exposureStart), caseNo: v.caseNo(c.infector),
      })),
    })),
  };
}
export type ChainsOut = ReturnType<typeof presentChains>;
export type ChainOut = ChainsOut['chains'][number];
export type InferenceOut = ChainsOut['inferences'][number];
