/**
 * An investigator's verdict on a link between two cases as the API takes and answers it (POST /api/links); the web
 * app takes its types from here (type-only imports). The chains themselves (GET /api/chains) have no schema here:
 * the route answers the domain's chains as they are.
 */
import { z } from 'zod';
import { Id, Text } from '../common.ts';

/** POST /api/links: the link (infector, infectee), confirmed or rejected, with an optional note. */
export const LinkBody = z.strictObject({ infectorCaseId: Id, infecteeCaseId: Id, verdict: z.enum(['confirmed', 'rejected']), note: Text.max(2000).nullable().default(null) })
  .refine((b) => b.infectorCaseId !== b.infecteeCaseId, { message: 'a case cannot infect itself', path: ['infecteeCaseId'] });
/** The body as sent (`note` may be left out). */
export type LinkBody = z.input<typeof LinkBody>;
/** The verdict as stored. */
export const LinkOut = z.object({ infectorCaseId: z.number().int(), infecteeCaseId: z.number().int(), verdict: z.enum(['confirmed', 'rejected']), note: z.string().nullable() });
export type LinkOut = z.infer<typeof LinkOut>;
