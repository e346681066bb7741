/** Typed reads of the Cordon API used by the page. */
import type { BulletinOut } from '../../src/api/routes/bulletins/schema.ts';
import type { Dashboard } from '../../src/api/routes/dashboard/schema.ts';
import type { DirectiveOut, LevelCounts, TaskOut } from '../../src/api/routes/command/schema.ts';
import type { AssignmentOut, DueOut, OccupancyOut, SiteOut } from '../../src/api/routes/quarantine/schema.ts';
import type { FollowUpList, MyFollowUp, ReportOut } from '../../src/api/routes/followUp/schema.ts';
import type { AdmissionDetail, AdmissionOut, HospitalOut, TcmOut, TeamOut } from '../../src/api/routes/hospitals/schema.ts';
import type { StrandedList, VisitorOut } from '../../src/api/routes/stranded/schema.ts';
import type { PersonSearchOut } from '../../src/api/routes/search/schema.ts';
import type { ListedPersonOut, PersonOut } from '../../src/api/routes/persons/schema.ts';
import type { CaseOut, ContactOut, InterviewOut, ListedContactOut, NoticeOut, TrajectoryRowOut } from '../../src/api/routes/cases/schema.ts';
import type { InterviewAnswers } from '../../src/domain/rules/interview.ts';

import type { PlaceOut } from '../../src/api/routes/places/schema.ts';

export type { BulletinOut as Bulletin, Dashboard, DirectiveOut as Directive, TaskOut as Task, LevelCounts, SiteOut as Site, AssignmentOut as Assignment };
export interface CityRow { code: string; name: string; persons: number; places: number; cases: number; contacts: number }
export interface Overview {
  province: { code: string; name: string };
  totals: {
    persons: number; households: number; places: number; presence: number; cases: number; contacts: number;
    redCodes: number; yellowCodes: number; activeChains: number;
  };
  cities: CityRow[];
  edition: string;
}
export interface Health { status: string; engine: string; edition: string; version: string }

/** An error answer of the API: its stable code (docs/errors.md), HTTP status, and the fields its details name. */
export class ApiError extends Error {
  /** `details` as the API sent them, when an object (not a list of fields): what a page may say more precisely. */
  constructor(readonly code: string, readonly status: number, message: string, readonly fields: readonly string[] = [], readonly facts: Record<string, unknown> = {}) {
    super(message);
  }
}

async function answer<T>(url: string, r: Response): Promise<T> {
  if (r.status === 204) return undefined as T;
  if (!r.ok) {
    const body = (await r.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: { field?: string }[] | Record<string, unknown> } } | null;
    const details = body?.error?.details;
    const list = Array.isArray(details) ? details : [];
    throw new ApiError(body?.error?.code ?? 'HTTP', r.status, `${url}: ${body?.error?.message ?? `HTTP ${r.status}`}`, list.flatMap((d) => (d.field ? [d.field] : [])),
      details && !Array.isArray(details) ? details : {});
  }
  return (await r.json()) as T;
}

async function getJson<T>(url: string): Promise<T> {
  return answer<T>(url, await fetch(url, { credentials: 'same-origin' }));
}

/** A write: JSON body, the session cookie, and the header the API asks of cookie-authenticated writes. */
async function send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: object): Promise<T> {
  const headers: Record<string, string> = { 'X-Cordon-CSRF': '1' };
  if (body) headers['Content-Type'] = 'application/json';
  return answer<T>(url, await fetch(url, { method, credentials: 'same-origin', headers, body: body ? JSON.stringify(body) : undefined }));
}

/** Who is signed in (GET /api/session), and what the role may do. */
export interface Session {
  user: { kind: 'user' | 'api_key' | 'resident'; name: string; role: string; region: string | null; regionName: string | null; agency: string | null };
  mustChangePassword: boolean;
  actions: string[];
}
/** The session, or null when no one is signed in (or the session ended). */
export async function fetchSession(): Promise<Session | null> {
  try {
    return await getJson<Session>('/api/session');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}
export const signIn = (username: string, password: string) => send<Session>('POST', '/api/session', { username, password });
export const signOut = () => send<void>('DELETE', '/api/session');
export const changePassword = (currentPassword: string, newPassword: string) => send<Session>('POST', '/api/session/password', { currentPassword, newPassword });

export const fetchOverview = () => getJson<Overview>('/api/overview');
export const fetchHealth = () => getJson<Health>('/api/health');
export const fetchCityGeo = () => getJson<object>('/api/geo/cities');

export type RiskLevel = 'low' | 'medium' | 'high';
export interface RiskArea { regionCode: string; name: string | null; level: RiskLevel; since: string; reviewAt: string | null; ruleSet: string; reason: string; reasonCode: string; reasonArgs: Record<string, number> }
export const fetchRiskAreas = () => getJson<{ ruleSet: string; items: RiskArea[] }>('/api/risk-areas');

/** The public: a sign-in code to the registered phone, then the resident's own code, itinerary and results. */
export const requestResidentCode = (idNumber: string) => send<{ expiresInSeconds: number; resendAfterSeconds: number }>('POST', '/api/resident/code', { idNumber });
export const residentSignIn = (idNumber: string, code: string) => send<{ kind: 'resident' }>('POST', '/api/resident/session', { idNumber, code });
export interface Me { personId: number; name: string; idMasked: string }
export interface CodeReason { condition: string; colour: 'yellow' | 'red'; detail: string; until: string; untilAt: string | null; ends: { code: string; args: Record<string, number> } }
export interface MyCode {
  colour: 'green' | 'yellow' | 'red'; reasons: CodeReason[]; since: string; validUntil: string; token: string; tokenExpiresAt: string;
  itinerary: { colour: 'green' | 'orange'; lookBackDays: number; cities: { cityCode: string; name: string; asterisk: boolean }[] };
}
export interface MyResult { sampleNo: string; method: string; sampledAt: string; result: string; resultAt: string | null }
export const fetchMe = () => getJson<Me>('/api/me');
export const fetchMyCode = () => getJson<MyCode>('/api/me/code');
export const fetchMyResults = () => getJson<{ items: MyResult[] }>('/api/me/results');

/* The command centre: directives, tasks and the dashboard. Shapes come from the server's zod schemas (type-only). */

/** A query string of the defined values. */
const qs = (q: Record<string, string | number | boolean | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

export interface TaskFilter { status?: string; open?: boolean; level?: string; kind?: string; regionCode?: string; mine?: boolean; directiveId?: number; after?: number; limit?: number }
export const fetchTasks = (f: TaskFilter = {}) => getJson<{ items: TaskOut[]; nextAfter: number | null; total: number }>(`/api/tasks${qs({ ...f, open: f.open ? 'true' : undefined, mine: f.mine ? 'true' : undefined })}`);
/** Open quarantine sites that serve a unit (a transfer from it goes to one of them), with their free places. */
export const fetchSitesServing = (unit: string) => getJson<{ items: SiteOut[]; nextAfter: number | null; total: number }>(`/api/quarantine/sites${qs({ servingUnit: unit, open: 'true', limit: '200' })}`);
/** Quarantine sites within reach, with their occupancy (GET /api/quarantine/sites). */
export const fetchSites = () => getJson<{ items: SiteOut[]; nextAfter: number | null; total: number }>('/api/quarantine/sites?limit=200');
export interface SiteInput { name: string; kind: SiteOut['kind']; regionCode: string; rooms: number; personsPerRoom?: number; staff?: number; address?: string }
export const openSite = (body: SiteInput) => send<SiteOut>('POST', '/api/quarantine/sites', body);
export const changeSite = (id: number, body: { closed?: boolean; rooms?: number; staff?: number; personsPerRoom?: number }) => send<SiteOut>('PATCH', `/api/quarantine/sites/${id}`, body);
/** The persons held now at a site (GET /api/quarantine/assignments). */
export const fetchHeldAt = (siteId: number) => getJson<{ items: AssignmentOut[]; nextAfter: number | null; total: number }>(`/api/quarantine/assignments${qs({ siteId, open: 'true', limit: 200 })}`);
/** What the persons held at a site owe today: tests due (not taken first) and releases due (GET /api/quarantine/due). */
export const fetchDueAt = (siteId: number) => getJson<DueOut>(`/api/quarantine/due${qs({ siteId, limit: 200 })}`);
/** A site's occupancy by day, the fortnight to today. */
export const fetchOccupancy = (siteId: number) => getJson<OccupancyOut>(`/api/quarantine/sites/${siteId}/occupancy`);
export const releaseAssignment = (id: number, note: string) => send<AssignmentOut>('POST', `/api/quarantine/assignments/${id}/release`, { note });
/** An arrival from a risk area put in quarantine, found by the ID number on their card (POST /api/quarantine/arrivals). */
export const assignArrival = (body: { idNumber: string; fromRegionCode?: string; siteId?: number; room?: string; reason: string }) => send<AssignmentOut>('POST', '/api/quarantine/arrivals', body);
/** Where the edition holds arrivals from a high- and a medium-risk area, and for how many days (GET /api/protocol, public). */
export const fetchArrivalRules = () => getJson<{ riskAreas: { arrivalsFromHigh: { kind: string; days: number }; arrivalsFromMedium: { kind: string; days: number } } }>('/api/protocol').then((e) => e.riskAreas);

/** Daily follow-up: who is under it and where each stands today; reports; reminders; the resident's own. */
export type { FollowUpList, MyFollowUp, ReportOut };
export type ReportBody = { temperatureC: number | null; symptoms: ReportOut['symptoms']; note?: string };
export const fetchFollowUp = (state: 'all' | 'missed' | 'lost', siteId?: number) => getJson<FollowUpList>(`/api/follow-up${qs({ state, siteId, limit: 200 })}`);
export const recordFollowUpReport = (personId: number, body: ReportBody) => send<ReportOut>('POST', '/api/follow-up/reports', { personId, ...body });
export const sendFollowUpReminders = (siteId?: number) => send<{ sent: number; noPhone: number; remindedAlready: number }>('POST', '/api/follow-up/reminders', siteId === undefined ? {} : { siteId });
/** The plausible range of a body temperature the edition in force takes (degrees Celsius; GET /api/protocol, public). */
export const fetchTemperatureRange = () => getJson<{ checkpoint: { plausibleTemperatureC: { min: number; max: number } } }>('/api/protocol').then((e) => e.checkpoint.plausibleTemperatureC);
export const fetchMyFollowUp = () => getJson<MyFollowUp>('/api/me/follow-up');
export const reportMyFollowUp = (body: ReportBody) => send<ReportOut>('POST', '/api/me/follow-up/reports', body);
/** My appeals against my code (newest first) and a new one: a task for my county's investigators. */
export interface MyAppeal { id: number; reason: string; status: string; createdAt: string; dueAt: string; closedAt: string | null; answer: string | null }
export const fetchMyAppeals = () => getJson<{ items: MyAppeal[] }>('/api/me/appeals');
export const appealMyCode = (reason: string) => send<MyAppeal>('POST', '/api/me/appeals', { reason });
export const fetchTask = (id: number) => getJson<{ task: TaskOut; history: { changes: Record<string, [unknown, unknown]>; reason: string | null; actor: string; at: string | null; source: string }[] }>(`/api/tasks/${id}`);
export type TaskStep = 'accept' | 'start' | 'complete';
export const workOnTask = (id: number, step: TaskStep, body: { note?: string; site?: string }) => send<TaskOut>('POST', `/api/tasks/${id}/${step}`, body);
export const fetchDirectives = () => getJson<{ items: DirectiveOut[]; nextAfter: number | null }>('/api/directives?limit=20');
export const fetchDirective = (id: number) => getJson<{ directive: DirectiveOut; levels: LevelCounts }>(`/api/directives/${id}`);
export interface DirectiveInput { kind: string; text: string; regionCode?: string; units?: string[]; dueAt?: string }
export const issueDirective = (d: DirectiveInput) => send<{ directive: DirectiveOut; tasks: number }>('POST', '/api/directives', d);

/** GET /api/dashboard: the command dashboard of a unit (the server's day, +08:00). */
export type DashboardChild = Dashboard['children'][number];
export const fetchDashboard = (region?: string) => getJson<Dashboard>(`/api/dashboard${qs({ region })}`);
export const fetchCountyGeo = (city: string) => getJson<object>(`/api/geo/counties${qs({ city })}`);

/** Persons, masked (GET /api/persons/:id, within scope), and a full identity read with its purpose (audited). */
export type PersonMasked = PersonOut;
export type { ListedPersonOut };
export interface Identity { id: number; name: string; phone: string | null; idMasked: string; birthDate: string; audit: { id: number; purpose: string } }
export const fetchPerson = (id: number) => getJson<PersonMasked>(`/api/persons/${id}`);
export const fetchPersons = (region: string, after?: number) => getJson<{ items: PersonMasked[]; nextAfter: number | null }>(`/api/persons${qs({ region, after, limit: 50 })}`);
export const fetchIdentity = (id: number, purpose: string) => getJson<Identity>(`/api/persons/${id}/identity${qs({ purpose })}`);

/** The daily bulletin (GET /api/bulletins/today, /:date; ?format=text for the text export). */
export const fetchBulletin = (date?: string) => getJson<BulletinOut>(`/api/bulletins/${date ?? 'today'}`);
export const bulletinTextUrl = (date: string) => `/api/bulletins/${date}?format=text`;

/** Supervision: inspections with findings (rectification tasks) and re-inspections. */
export interface InspectionInput { regionCode: string; summary: string; findings: { text: string; withinHours?: number }[] }
export const recordInspection = (i: InspectionInput) => send<{ inspection: { id: number }; tasks: TaskOut[] }>('POST', '/api/inspections', i);
export const reinspect = (taskId: number, body: { passed: boolean; note: string; dueAt?: string }) => send<{ task: TaskOut }>('POST', `/api/tasks/${taskId}/reinspect`, body);
export interface RegionRow { code: string; name: string; level: string; parentCode: string | null }
export const fetchRegions = (parent: string) => getJson<{ items: RegionRow[]; nextAfter: number | null }>(`/api/regions${qs({ parent, limit: 500 })}`);
export const fetchRegion = (code: string) => getJson<RegionRow>(`/api/regions/${code}`);
export const fetchTaskSummary = (kind?: string) => getJson<{ levels: LevelCounts }>(`/api/tasks/summary${qs({ kind })}`);

/** Designated hospitals: hospitals, admissions with severity and treatments, the TCM rate, expert teams. */
export type { AdmissionDetail, AdmissionOut, HospitalOut, TcmOut, TeamOut };
type Paged<T> = { items: T[]; nextAfter: number | null; total: number };
export const fetchHospitals = () => getJson<Paged<HospitalOut>>('/api/hospitals?limit=200');
export const designateHospital = (body: { name: string; kind: HospitalOut['kind']; regionCode: string; beds: number; icuBeds?: number }) => send<HospitalOut>('POST', '/api/hospitals', body);
export const fetchTcm = () => getJson<TcmOut>('/api/hospitals/tcm');
export const fetchExpertTeams = () => getJson<Paged<TeamOut>>('/api/hospitals/expert-teams?limit=100');
export const dispatchExpertTeam = (body: { name: string; specialty: string; hospitalId: number; members: { name: string; title: string; institution: string }[] }) =>
  send<TeamOut>('POST', '/api/hospitals/expert-teams', body);
export const fetchAdmissions = (hospitalId: number, state: 'in_hospital' | 'follow_up' | 'all') =>
  getJson<Paged<AdmissionOut>>(`/api/hospitals/admissions${qs({ hospitalId, state: state === 'all' ? undefined : state, limit: 200 })}`);
export const admitToHospital = (body: { caseNo: string; hospitalId: number; severity: AdmissionOut['severity']; note?: string }) => send<AdmissionDetail>('POST', '/api/hospitals/admissions', body);
export const recordSeverity = (id: number, body: { severity: AdmissionOut['severity']; note?: string }) => send<AdmissionDetail>('POST', `/api/hospitals/admissions/${id}/severity`, body);
export const recordTreatment = (id: number, body: { kind: AdmissionDetail['treatments'][number]['kind']; tcm?: boolean; note?: string }) => send<AdmissionDetail>('POST', `/api/hospitals/admissions/${id}/treatments`, body);
export const dischargeAdmission = (id: number, body: { outcome: 'discharged' | 'died' | 'transferred_out'; note: string }) => send<AdmissionDetail>('POST', `/api/hospitals/admissions/${id}/discharge`, body);

/** Stranded visitors: lodged at hotels, their care, their journey home. */
export type { StrandedList, VisitorOut };
export const fetchStranded = (state: 'lodged' | 'released' | 'all') => getJson<StrandedList>(`/api/stranded${qs({ state: state === 'all' ? undefined : state, limit: 200 })}`);
export const registerStranded = (body: { idNumber: string; name: string; phone?: string; sealedRegionCode: string; siteId: number; room: string; note?: string }) => send<VisitorOut>('POST', '/api/stranded', body);
export const giveCare = (id: number, kind: 'meals' | 'medicine' | 'counselling') => send<VisitorOut>('POST', `/api/stranded/${id}/care`, { kind });
export const sendHome = (id: number, journeyHome: string, note: string) => send<VisitorOut>('POST', `/api/stranded/${id}/release`, { journeyHome, note });

/** Search (GET /api/search/...): persons within scope (audited), a case by number, places, trips by number and date. */
export type { PersonSearchOut, CaseOut, PlaceOut };
export const searchPersons = (q: string, purpose?: string) => getJson<PersonSearchOut>(`/api/search/persons${qs({ q, purpose })}`);
export const searchCases = (q: string) => getJson<{ items: CaseOut[] }>(`/api/search/cases${qs({ q })}`);
export const searchPlaces = (q: string) => getJson<{ items: PlaceOut[] }>(`/api/search/places${qs({ q })}`);
export const searchTrips = (number: string, date: string) => getJson<{ items: PlaceOut[] }>(`/api/search/trips${qs({ number, date })}`);

/** The public's look-ups (no sign-in): was a case on this trip or at this venue at this time; venues by name. */
export interface PublicExposure { caseNo: string; place: { code: string; name: string; category: string }; overlapStart: string; overlapEnd: string }
export interface SameTrip { place: { code: string; name: string; category: string }; casesPresent: number; exposures: PublicExposure[] }
export const sameTripByNumber = (trip: string, date: string) => getJson<SameTrip>(`/api/public/same-trip${qs({ trip, date })}`);
export const sameTripAtVenue = (place: string, from: string, to: string) => getJson<SameTrip>(`/api/public/same-trip${qs({ place, from, to })}`);
export const findVenues = (q: string) => getJson<{ items: { code: string; name: string; category: string; regionCode: string }[] }>(`/api/public/places${qs({ q })}`);

/** The investigator's workbench: a case, its trajectory from the interview, its contacts with their evidence. */
export type { ContactOut, ListedContactOut, TrajectoryRowOut };
/** The cases, contacts and persons lists (keyset-paged, 50 a page) with their filters, and the same lists as files. */
export interface CaseListFilter { region?: string; outcome?: string; kind?: string }
export interface ContactListFilter { region?: string; status?: string; kind?: string }
export interface PersonListFilter { region?: string; colour?: ListedPersonOut['codeColour'] }
export type ListName = 'cases' | 'contacts' | 'persons';
export const fetchCaseList = (f: CaseListFilter, after?: number) => getJson<{ items: CaseOut[]; nextAfter: number | null }>(`/api/cases${qs({ ...f, after, limit: 50 })}`);
export const fetchContactList = (f: ContactListFilter, after?: number) => getJson<{ items: ListedContactOut[]; nextAfter: number | null }>(`/api/contacts${qs({ ...f, after, limit: 50 })}`);
export const fetchPersonList = (f: PersonListFilter, after?: number) => getJson<{ items: ListedPersonOut[]; nextAfter: number | null }>(`/api/persons${qs({ ...f, after, limit: 50 })}`);

/**
 * Downloads a list's export (GET /api/{list}/export) as the file the server names; an export refused (too large,
 * too many a minute) throws its ApiError, so the page can say why instead of saving an error as a file.
 */
export async function downloadListExport(list: ListName, filter: Record<string, string | undefined>, format: 'xlsx' | 'csv', lang: 'zh' | 'en'): Promise<void> {
  const url = `/api/${list}/export${qs({ ...filter, format, lang })}`;
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok) await answer(url, r);
  const name = /filename="([^"]+)"/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? `${list}.${format}`;
  const href = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
export const fetchCase = (id: number) => getJson<CaseOut>(`/api/cases/${id}`);
export const fetchTrajectory = (id: number) => getJson<{ items: TrajectoryRowOut[] }>(`/api/cases/${id}/trajectory`);
export const fetchCaseContacts = (id: number) => getJson<{ items: ListedContactOut[]; nextAfter: number | null }>(`/api/cases/${id}/contacts?limit=500`);
/** Where a case's contacts download as a file (masked, audited): XLSX or CSV, in the page's language. */
/** A case's contacts as a file, with the page's filter (kind, setting) when one is chosen. */
export const contactsExportUrl = (id: number, format: 'xlsx' | 'csv', lang: 'zh' | 'en', filter: { kind?: string; setting?: string } = {}) =>
  `/api/cases/${id}/contacts/export${qs({ format, lang, ...filter })}`;
/** A contact by the investigators' judgement (protocol setting 9), with its reason; times as YYYY-MM-DD HH:MM (CST). */
export const addManualContact = (caseId: number, body: { personId: number; kind: 'close' | 'secondary'; reason: string; firstExposure: string; lastExposure: string; viaContactId: number | null }) =>
  send<ContactOut>('POST', `/api/cases/${caseId}/contacts`, body);
export interface TrajectoryRowIn {
  start: string; end: string; placeCode?: string; vehicle?: { number: string; date: string; seat?: string; carriage?: string }; placeText?: string;
  activity?: string; mask?: 'yes' | 'no' | 'unknown'; peopleMet?: string; notes?: string;
}
export const addTrajectoryRows = (id: number, rows: TrajectoryRowIn[]) =>
  send<{ items: TrajectoryRowOut[]; added: number; trace: { written: number; updated: number; contacts: { close: number; secondary: number; companion: number } } }>('POST', `/api/cases/${id}/trajectory`, { rows });

/** Nameless trajectory notices: published from a case's trajectory; read by anyone. */
export type { NoticeOut };
export const publishNotice = (caseId: number, title: string) => send<NoticeOut>('POST', `/api/cases/${caseId}/notices`, { title });
export const fetchNotices = (q?: string) => getJson<{ items: NoticeOut[] }>(`/api/public/notices${qs({ q })}`);

/** Chains of transmission (GET /api/chains) as the case page reads them, and an investigator's verdict on a link. */
export interface ChainOut {
  id: number; name: string; caseIds: number[]; caseNos: string[]; roots: number[]; generations: number;
  links: { infector: number; infectee: number; score: number | null; byInvestigator: boolean; infectorNo: string; infecteeNo: string }[];
}
/** Who may have infected a case: candidates with their log-likelihood scores (best first), and the one chosen. */
export interface InferenceOut {
  caseId: number; caseNo: string; infector: number | null; sourceUnknown: boolean; byInvestigator: boolean;
  candidates: { infector: number; score: number; caseNo: string }[];
}
export const fetchChains = () => getJson<{ chains: ChainOut[]; inferences: InferenceOut[] }>('/api/chains');
export const setLinkVerdict = (infectorCaseId: number, infecteeCaseId: number, verdict: 'confirmed' | 'rejected') =>
  send<{ infectorCaseId: number; infecteeCaseId: number; verdict: string }>('POST', '/api/links', { infectorCaseId, infecteeCaseId, verdict, note: null });

/** A case's interview (流调表): read with its deadline; saved as a draft or completed, from the version read. */
export type { InterviewOut };
/** The answers as sent: times as YYYY-MM-DD HH:MM (China Standard Time). */
export type InterviewAnswersIn = Omit<InterviewAnswers, 'onset'> & { onset?: Omit<NonNullable<InterviewAnswers['onset']>, 'firstCareAt'> & { firstCareAt?: string } };
export const fetchInterview = (caseId: number) => getJson<InterviewOut>(`/api/cases/${caseId}/interview`);
export const saveInterview = (caseId: number, body: { answers: InterviewAnswersIn; version: number; complete: boolean }) => send<InterviewOut>('PUT', `/api/cases/${caseId}/interview`, body);
