/**
 * Inspections and re-inspections as the API takes and answers them; the web app takes its types from here (type-only
 * imports). The answers are plain zod; the bodies use the checks of ../common.ts.
 */
import { z } from 'zod';
import { MAX_ID } from '../../../storage/db.ts';
import { IsoTime, pageOf, PlainText, said, TimeText } from '../common.ts';
import { TaskOut, UnitCode } from '../command/schema.ts';

/** An inspection of a unit or a place (or a re-inspection of a rectification), with its findings and their tasks. */
export const InspectionOut = z.object({
  id: z.number().int(), regionCode: z.string(), placeId: z.number().int().nullable(), kind: z.enum(['inspection', 're-inspection']), taskId: z.number().int().nullable(),
  passed: z.boolean().nullable(), summary: z.string(), findings: z.array(z.object({ text: z.string(), withinHours: z.number(), taskId: z.number().int().nullable() })),
  inspector: z.string(), inspectedAt: IsoTime,
});
export type InspectionOut = z.infer<typeof InspectionOut>;
/** GET /api/inspections: oldest first, paged. */
export const InspectionPage = pageOf(InspectionOut);
/** POST /api/inspections and GET /api/inspections/:id: the inspection and its rectification tasks as they stand. */
export const InspectionWithTasks = z.object({ inspection: InspectionOut, tasks: z.array(TaskOut) });
export type InspectionWithTasks = z.infer<typeof InspectionWithTasks>;
/** POST /api/tasks/:id/reinspect: the re-inspection and the rectification after it. */
export const Reinspected = z.object({ inspection: InspectionOut, task: TaskOut });
export type Reinspected = z.infer<typeof Reinspected>;

/** POST /api/inspections: what was inspected, what was seen, and the findings (each a rectification task). */
export const InspectionBody = z.strictObject({
  regionCode: UnitCode.optional(), placeId: z.number().int().min(1).max(MAX_ID).optional(), summary: said(2000, PlainText),
  findings: z.array(z.strictObject({ text: said(500, PlainText), withinHours: z.number().int().min(1).max(720).optional().describe('hours to put it right; default the edition\'s') })).max(50),
});
export type InspectionBody = z.input<typeof InspectionBody>;
/** POST /api/tasks/:id/reinspect: passed or not, what was seen, and (not passed) a new deadline. */
export const ReinspectBody = z.strictObject({ passed: z.boolean(), note: said(2000), dueAt: TimeText.optional() });
/** The body as sent (the deadline as text). */
export type ReinspectBody = z.input<typeof ReinspectBody>;
