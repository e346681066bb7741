/**
 * A case's contacts taken away as a file for the investigators' own work (a call list, a hand-over to a county): CSV
 * (UTF-8 with a byte-order mark, so a spreadsheet reads the Chinese) or XLSX (one sheet, through ExcelJS). Persons are
 * masked as everywhere else (name: first character; ID number: first 3 and last 2 characters). Each export is audited
 * before it is answered, naming the case, the format and how many contacts left the system.
 *
 * Columns: contact id, kind, person id, masked name, masked ID number, first and last exposure (China Standard Time,
 * `YYYY-MM-DD HH:MM`), settings, minutes together (the union of the evidence's overlaps), feeds, status, how the contact
 * was found.
 */
import type { Services } from '../../app/container.ts';
import type { CsvCell } from '../../domain/csv.ts';
import { DomainError } from '../../domain/errors.ts';
import { listIdMask, maskName } from '../../domain/identity.ts';
import { CONTACT_LABELS, type Lang } from '../../domain/labels.ts';
import type { Contact } from '../../domain/model/index.ts';
import type { ContactKind, ContactSetting } from '../../domain/vocab.ts';
import type { Ctx } from '../../platform/context.ts';
import { recordAudit } from '../audit/audit.ts';
import { minute, writeSheet, type ExportFile, type ExportFormat } from '../exports/sheet.ts';

/**
 * Minutes a contact spent with the case: the union of its evidence's overlaps (two feeds of one evening, or a household
 * registry beside a residence's stays, count once), never more than its exposure window.
 */
export function minutesTogether(evidence: readonly { overlapStart: number; overlapEnd: number }[]): number {
  const spans = evidence.map((e) => [e.overlapStart, e.overlapEnd] as const).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let run: [number, number] | null = null;
  for (const [a, b] of spans) {
    if (run && a <= run[1]) run[1] = Math.max(run[1], b);
    else {
      if (run) total += run[1] - run[0];
      run = [a, b];
    }
  }
  if (run) total += run[1] - run[0];
  return Math.round(total / 60);
}

/** Contacts read a page at a time while writing an export. */
const PAGE = 1000;

const HEADERS: Record<Lang, readonly string[]> = {
  zh: ['接触者编号', '类别', '人员编号', '姓名', '身份证号', '首次暴露', '末次暴露', '接触方式', '共处分钟', '数据来源', '状态', '判定方式'],
  en: ['Contact id', 'Kind', 'Person id', 'Name', 'ID number', 'First exposure', 'Last exposure', 'Settings', 'Minutes together', 'Sources', 'Status', 'Found by'],
};
const ORIGINS: Record<Lang, Record<Contact['origin'], string>> = {
  zh: { tracing: '系统研判', investigator: '流调认定', upgrade: '升级判定' },
  en: { tracing: 'Tracing', investigator: 'Investigator', upgrade: 'Upgrade' },
};

/**
 * The contacts of case `caseId` that the actor may see, as a file; only those of `filter.kind`, and with evidence in
 * `filter.setting`, when given (what the case page shows). Throws NOT_FOUND (404) when the case is not there
 * or not in the actor's scope.
 */
export async function exportCaseContacts(
  ctx: Ctx, s: Services, caseId: number, format: ExportFormat, lang: Lang, requestId: string | null, filter: { kind?: ContactKind; setting?: ContactSetting } = {},
): Promise<ExportFile> {
  const c = await s.store.cases.get(caseId, ctx.scope);
  if (!c) throw new DomainError('not_found', 'NOT_FOUND', `No case with id ${caseId}.`);
  const contacts: Contact[] = [];
  for (let after: number | null = 0; after !== null;) {
    const page = await s.store.cases.contactsOf(caseId, { kind: filter.kind }, { after, limit: PAGE }, ctx.scope);
    contacts.push(...page.items.filter((k) => !filter.setting || k.evidence.some((e) => e.setting === filter.setting)));
    after = page.nextAfter;
  }
  const persons = await s.store.persons.byIds(contacts.map((k) => k.personId));
  const l = CONTACT_LABELS[lang];
  const join = lang === 'zh' ? '、' : ', ';
  const rows: CsvCell[][] = contacts.map((k) => {
    const p = persons.get(k.personId);
    return [
      k.id, l.kinds[k.kind], k.personId, p ? maskName(p.name) : '', p ? listIdMask(p.idMasked) : '', minute(k.firstExposure), minute(k.lastExposure),
      [...new Set(k.evidence.map((e) => l.settings[e.setting]))].join(join), minutesTogether(k.evidence),
      [...new Set(k.evidence.flatMap((e) => e.sources.map((x) => l.sources[x])))].join(join), l.statuses[k.status], ORIGINS[lang][k.origin],
    ];
  });
  await recordAudit(ctx, s.store, { action: 'contacts:export', subject: `case:${caseId}`, purpose: null, requestId, detail: `format=${format}; ${filter.kind || filter.setting ? `kind=${filter.kind ?? 'all'}; setting=${filter.setting ?? 'all'}; ` : ''}contacts=${rows.length}` });
  return writeSheet(format, `contacts-${c.caseNo}`, lang === 'zh' ? '接触者' : 'Contacts', HEADERS[lang], rows, [10, 12, 10, 8, 22, 18, 18, 24, 10, 24, 10, 10]);
}
