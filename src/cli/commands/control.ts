/** `cordon risk-areas` and `cordon venue-orders lift`: the published risk areas, grading, and lifting an order. */
import type { Command } from 'commander';
import { formatTime, parseTime } from '../../domain/time.ts';
import { changeVenueOrderEnd, gradeRiskAreasNow, riskAreasAsOf } from '../../services/control.ts';
import { assertPlausibleTimes } from '../../services/times.ts';
import { CliError, cliCtx, reasonArg, say, withServices } from '../shared.ts';

export function controlCommands(program: Command): void {
  program.command('risk-areas')
    .description('the published risk areas (now, or as they stood at --at); --grade grades them now from the cases recorded')
    .option('--grade', 'grade now from the cases recorded and store the changes')
    .option('--at <time>', 'show the list as it stood at this time, or as it will stand then from the cases recorded now (YYYY-MM-DD HH:MM, CST); a read only')
    .action((opts: { grade?: boolean; at?: string }) => withServices(async (s) => {
      if (opts.grade && opts.at) throw new CliError('--grade grades now (the server\'s time); --at only reads the list at another time');
      const ctx = cliCtx('risk-areas');
      let at = ctx.clock.now();
      if (opts.at !== undefined) {
        const t = parseTime(opts.at);
        if (t === null) throw new CliError(`--at: not a date-time: ${opts.at}`);
        assertPlausibleTimes(ctx, s.edition, { at: t }, { whatIf: true });
        at = t;
      }
      if (opts.grade) say(`${(await gradeRiskAreasNow(ctx, s)).length} unit(s) graded anew`);
      const list = await riskAreasAsOf(s.store, s.edition, at, ctx.clock.now());
      for (const a of list) say(`${a.level.padEnd(6)} ${a.regionCode} ${(await s.store.regions.get(a.regionCode))?.name ?? ''}  since ${formatTime(a.since)}${a.reviewAt ? `, review ${formatTime(a.reviewAt)}` : ''}: ${a.reason}`);
      if (list.length === 0) say('no medium- or high-risk areas');
    }));

  const orders = program.command('venue-orders').description('venue orders: lift one (places reopen at once)');
  orders.command('lift')
    .description('lift an order now (or end it later with --ends), with the reason; places follow at once')
    .argument('<orderNo>', 'the order number')
    .requiredOption('--reason <text>', 'why (kept with the change)', reasonArg)
    .option('--ends <time>', 'end it at this time instead of now (YYYY-MM-DD HH:MM, CST)')
    .action((orderNo: string, opts: { reason: string; ends?: string }) => withServices(async (s) => {
      const endsAt = opts.ends === undefined ? undefined : parseTime(opts.ends);
      if (endsAt === null) throw new CliError(`--ends: not a date-time: ${opts.ends}`);
      const r = await changeVenueOrderEnd(cliCtx('venue-orders lift'), s, { orderNo, endsAt, reason: opts.reason });
      say(`order ${r.order.orderNo} ends ${r.order.endsAt === null ? 'never' : formatTime(r.order.endsAt)}; places under orders now: ${r.placesUnderOrders}`);
    }));
}
