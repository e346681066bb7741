/** What the session routes answer (GET and POST /api/session, POST /api/session/password); the web app takes its type from here (type-only imports; plain zod). */
import { z } from 'zod';
import { ROLES } from '../../../domain/access.ts';

/** Who is signed in, and every action the role may take now (the page shows what it may). */
export const SessionOut = z.object({
  user: z.object({
    kind: z.enum(['user', 'api_key', 'resident']), name: z.string(), role: z.enum(ROLES), region: z.string().nullable(),
    regionName: z.string().nullable().describe('the name of the region scope (湖南省, 芙蓉区 ...)'), agency: z.string().nullable(),
  }),
  mustChangePassword: z.boolean(),
  actions: z.array(z.string()).describe('every action the role may take now (the access catalogue)'),
});
export type SessionOut = z.infer<typeof SessionOut>;
