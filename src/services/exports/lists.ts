/**
 * The cases, contacts and persons lists taken away as a file (CSV or XLSX), with the filters of their pages (region,
 * status, kind, a person's code colour) inside the actor's scope. Persons are masked as on every page (name: first character; ID number:
 * first 3 and last 2 characters; phone: first 3 and last 4 digits; the decade of birth, not the date). An export holds
 * at most EXPORT_MAX_ROWS rows: a bigger list is refused (EXPORT_TOO_LARGE, 422) before anything is written, so that a
 * province's million residents do not leave the system in one file; narrow it by region. Each export is audited before
 * it is answered, naming the list, its filter, the format and how many rows left.
 */
import type { Services } from '../../app/container.ts';
import type { CsvCell } from '../../domain/csv.ts';
import { DomainError } from '../../domain/errors.ts';
import { listIdMask, maskName, maskPhone } from '../../domain/identity.ts';
import { CASE_LABELS, CODE_COLOUR_LABELS, CONTACT_LABELS, type Lang } from '../../domain/labels.ts';
import type { Case, Contact, Person } from '../../domain/model/index.ts';
import type { CaseKind, CaseOutcome, CodeColour, ContactKind, ContactStatus } from '../../domain/vocab.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Page, PageRequest } from '../../storage/sql/paging.ts';
import { recordAudit } from '../audit/audit.ts';
import { minute, writeSheet, type ExportFile, type ExportFormat } from './sheet.ts';

/** The most rows one export of a list may hold. */
export const EXPORT_MAX_ROWS = 50_000;
/** Rows read a page at a time while writing an export. */
const PAGE = 2000;

/** How much an export may hold and how many rows it reads at a time (tests make both small). */
export interface ExportLimits { max: number; pageSize: number }

/** A list and its filter, as its page asks for it. */
export type ListExport =
  | { list: 'cases'; filter: { kind?: CaseKind; outcome?: CaseOutcome; regionCode?: string } }
  | { list: 'contacts'; filter: { kind?: ContactKind; status?: ContactStatus; regionCode?: string } }
  | { list: 'persons'; filter: { regionCode?: string; colour?: CodeColour } };

/** The action each list's export is audited (and permitted) as. */
export const EXPORT_ACTIONS = { cases: 'cases:export', contacts: 'contacts:export', persons: 'persons:export' } as const;

/** Every row of a keyset-paged list, or EXPORT_TOO_LARGE once there are more than `max`. */
async function readAll<T>(read: (page: PageRequest) => Promise<Page<T>>, { max, pageSize }: ExportLimits): Promise<T[]> {
  const out: T[] = [];
  for (let after: number | null = 0; after !== null;) {
    const page = await read({ after, limit: pageSize });
    out.push(...page.items);
    if (out.length > max) {
      throw new DomainError('invalid', 'EXPORT_TOO_LARGE', `The list holds more than ${max} rows, more than one export may hold: narrow it (a smaller region, a status).`, { limit: max });
    }
    after = page.nextAfter;
  }
  return out;
}

const CASE_HEADERS: Record<Lang, readonly string[]> = {
  zh: ['病例编号', '类型', '人员编号', '姓名', '身份证号', '发病时间', '确诊时间', '病情', '转归', '发现途径', '所属社区'],
  en: ['Case no.', 'Kind', 'Person id', 'Name', 'ID number', 'Onset', 'Confirmed', 'Severity', 'Outcome', 'Found by', 'Community'],
};
const CONTACT_HEADERS: Record<Lang, readonly string[]> = {
  zh: ['接触者编号', '类别', '关联病例', '人员编号', '姓名', '身份证号', '末次暴露', '状态', '所属社区'],
  en: ['Contact id', 'Kind', 'Case no.', 'Person id', 'Name', 'ID number', 'Last exposure', 'Status', 'Community'],
};
const PERSON_HEADERS: Record<Lang, readonly string[]> = {
  zh: ['人员编号', '姓名', '身份证号', '性别', '出生年代', '手机号', '健康码', '所属社区', '网格'],
  en: ['Person id', 'Name', 'ID number', 'Sex', 'Birth decade', 'Phone', 'Health code', 'Community', 'Grid'],
};
const SEXES: Record<Lang, Record<Person['sex'], string>> = { zh: { male: '男', female: '女' }, en: { male: 'Male', female: 'Female' } };

/**
 * The list `spec` within the actor's scope as a file. Throws EXPORT_TOO_LARGE (422) when it holds more than
 * EXPORT_MAX_ROWS rows (nothing audited then).
 */
export async function exportList(ctx: Ctx, s: Services, spec: ListExport, format: ExportFormat, lang: Lang, requestId: string | null, limits: ExportLimits = { max: EXPORT_MAX_ROWS, pageSize: PAGE }): Promise<ExportFile> {
  const { store } = s;
  const communityNames = async (codes: string[]) => store.regions.names([...new Set(codes)]);
  const community = (names: Map<string, string>, p: Person | undefined) => (p ? `${names.get(p.communityCode) ?? ''} ${p.communityCode}`.trim() : '');
  let file: ExportFile;
  if (spec.list === 'cases') {
    const cases = await readAll<Case>((page) => store.cases.list(page, ctx.scope, spec.filter), limits);
    const persons = await store.persons.byIds(cases.map((c) => c.personId));
    const names = await communityNames([...persons.values()].map((p) => p.communityCode));
    const l = CASE_LABELS[lang];
    const rows: CsvCell[][] = cases.map((c) => {
      const p = persons.get(c.personId);
      return [c.caseNo, l.kinds[c.kind], c.personId, p ? maskName(p.name) : '', p ? listIdMask(p.idMasked) : '', minute(c.onsetAt), minute(c.confirmedAt),
        l.severities[c.severity], l.outcomes[c.outcome], c.detectedBy ? l.detectedBy[c.detectedBy] : '', community(names, p)];
    });
    file = await writeSheet(format, 'cases', lang === 'zh' ? '病例' : 'Cases', CASE_HEADERS[lang], rows, [14, 14, 10, 8, 22, 18, 18, 10, 10, 14, 30]);
  } else if (spec.list === 'contacts') {
    const contacts = await readAll<Contact>((page) => store.cases.listContacts(spec.filter, page, ctx.scope), limits);
    const persons = await store.persons.byIds(contacts.map((k) => k.personId));
    const caseNos = new Map((await store.cases.byIds([...new Set(contacts.map((k) => k.indexCaseId))])).map((c) => [c.id, c.caseNo]));
    const names = await communityNames([...persons.values()].map((p) => p.communityCode));
    const l = CONTACT_LABELS[lang];
    const rows: CsvCell[][] = contacts.map((k) => {
      const p = persons.get(k.personId);
      return [k.id, l.kinds[k.kind], caseNos.get(k.indexCaseId) ?? '', k.personId, p ? maskName(p.name) : '', p ? listIdMask(p.idMasked) : '', minute(k.lastExposure),
        l.statuses[k.status], community(names, p)];
    });
    file = await writeSheet(format, 'contacts', lang === 'zh' ? '接触者' : 'Contacts', CONTACT_HEADERS[lang], rows, [10, 12, 14, 10, 8, 22, 18, 10, 30]);
  } else {
    const persons = await readAll<Person>((page) => store.persons.list(spec.filter, page, ctx.scope), limits);
    const names = await communityNames(persons.map((p) => p.communityCode));
    const codes = await store.codes.currentOf(persons.map((p) => p.id));
    const rows: CsvCell[][] = persons.map((p) => [p.id, maskName(p.name), listIdMask(p.idMasked), SEXES[lang][p.sex], Math.floor(Number(p.birthDate.slice(0, 4)) / 10) * 10,
      p.phone === null ? '' : maskPhone(p.phone), CODE_COLOUR_LABELS[lang][codes.get(p.id)?.colour ?? 'green'], community(names, p), p.gridCode ?? '']);
    file = await writeSheet(format, 'persons', lang === 'zh' ? '人员' : 'Persons', PERSON_HEADERS[lang], rows, [10, 8, 22, 6, 10, 14, 8, 30, 16]);
  }
  const filter = Object.entries(spec.filter).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(', ');
  await recordAudit(ctx, store, { action: EXPORT_ACTIONS[spec.list], subject: `list:${spec.list}`, purpose: null, requestId, detail: `format=${format}; filter=${filter || 'none'}; rows=${file.rows}` });
  return file;
}
