/** What GET /api/health answers; the web app takes its type from here (type-only imports; plain zod). */
import { z } from 'zod';

/** Liveness: the storage engine in use, the protocol edition in force, and the server's version. */
export const Health = z.object({ status: z.literal('ok'), engine: z.enum(['sqlite', 'postgres']), edition: z.string(), version: z.string() });
export type Health = z.infer<typeof Health>;
