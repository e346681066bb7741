/**
 * Typed reads and writes of the Cordon API used by the page. The request and response types come from the server's
 * zod schemas (answers: what the schema outputs; bodies: what it takes as input), imported type-only, so the bundle
 * holds no server code.
 */
import type { z } from 'zod';
import type { BulletinOut } from '../../src/api/routes/bulletins/schema.ts';
import type { Dashboard } from '../../src/api/routes/dashboard/schema.ts';
import type {
  DirectiveBody, DirectiveDetail, DirectiveIssued, DirectiveOut, DirectivePage, LevelCounts, TaskDetail, TaskOut, TaskPage, TaskQuery, TaskSummary, TaskWorkBody,
} from '../../src/api/routes/command/schema.ts';
import type { ArrivalBody, AssignmentOut, AssignmentPage, DueOut, OccupancyOut, SiteBody, SiteChangeBody, SiteOut, SitePage } from '../../src/api/routes/quarantine/schema.ts';
import type { FollowUpList, MyFollowUp, RemindersOut, ReportBody, ReportOut } from '../../src/api/routes/followUp/schema.ts';
import type {
  AdmissionDetail, AdmissionOut, AdmissionPage, AdmitBody, DischargeBody, HospitalBody, HospitalOut, HospitalPage, SeverityBody, TcmOut, TeamBody, TeamOut, TeamPage, TreatmentBody,
} from '../../src/api/routes/hospitals/schema.ts';
import type { StrandedBody, StrandedList, VisitorDetail, VisitorOut } from '../../src/api/routes/stranded/schema.ts';
import type { CaseHits, PersonSearchOut, PlaceHits } from '../../src/api/routes/search/schema.ts';
import type { IdentityOut, ListedPersonOut, PersonOut, PersonPage, PersonQuery } from '../../src/api/routes/persons/schema.ts';
import type {
  CaseContactPage, CaseOut, CasePage, CaseQuery, ContactListQuery, ContactOut, ContactPage, InterviewBody, InterviewOut, ListedContactOut, ManualContactBody, NoticeList, NoticeOut,
  TrajectoryAdded, TrajectoryOut, TrajectoryRowIn, TrajectoryRowOut,
} from '../../src/api/routes/cases/schema.ts';
import type { PlaceOut } from '../../src/api/routes/places/schema.ts';
import type { CityRow, Overview } from '../../src/api/routes/overview/schema.ts';
import type { Health } from '../../src/api/routes/health/schema.ts';
import type { SessionOut } from '../../src/api/routes/session/schema.ts';
import type { RiskAreaList, RiskAreaOut } from '../../src/api/routes/control/schema.ts';
import type { Reason } from '../../src/api/routes/codes/schema.ts';
import type { AppealOut, CodeRequested, Me, MyAppeals, MyCode, MyResult, MyResults, ResidentSignedIn } from '../../src/api/routes/residents/schema.ts';
import type { InspectionBody, InspectionWithTasks, ReinspectBody, Reinspected } from '../../src/api/routes/supervision/schema.ts';
import type { RegionOut, RegionPage } from '../../src/api/routes/regions/schema.ts';
import type { ExposureOut, SameTripOut, VenueList } from '../../src/api/routes/public/schema.ts';
import type { ChainOut, ChainsOut, ExposureEventBody, ExposureEventOut, InferenceOut, LinkOut } from '../../src/api/routes/chains/schema.ts';
import type { ProtocolEdition } from '../../src/domain/protocol/schema.ts';

export type { BulletinOut as Bulletin, Dashboard, DirectiveOut as Directive, TaskOut as Task, LevelCounts, SiteOut as Site, AssignmentOut as Assignment };
export type { CityRow, Overview, Health };

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
export type Session = SessionOut;
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

export type RiskArea = RiskAreaOut;
export type RiskLevel = RiskArea['level'];
export const fetchRiskAreas = () => getJson<RiskAreaList>('/api/risk-areas');

/** The public: a sign-in code to the registered phone, then the resident's own code, itinerary and results. */
export const requestResidentCode = (idNumber: string) => send<CodeRequested>('POST', '/api/resident/code', { idNumber });
export const residentSignIn = (idNumber: string, code: string) => send<ResidentSignedIn>('POST', '/api/resident/session', { idNumber, code });
export type CodeReason = Reason;
export type { Me, MyCode, MyResult };
export const fetchMe = () => getJson<Me>('/api/me');
export const fetchMyCode = () => getJson<MyCode>('/api/me/code');
export const fetchMyResults = () => getJson<MyResults>('/api/me/results');

/* The command centre: directives, tasks and the dashboard. Shapes come from the server's zod schemas (type-only). */

/** A query string of the defined values. */
const qs = (q: Record<string, string | number | boolean | undefined>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
};

/**
 * The filter of GET /api/tasks as the server reads it (every parameter optional), with `open` and `mine` as flags:
 * written into the query string as text.
 */
export type TaskFilter = Partial<Omit<z.output<typeof TaskQuery>, 'open' | 'mine'>> & { open?: boolean; mine?: boolean };
export const fetchTasks = (f: TaskFilter = {}) => getJson<TaskPage>(`/api/tasks${qs({ ...f, open: f.open ? 'true' : undefined, mine: f.mine ? 'true' : undefined })}`);
/** Open quarantine sites that serve a unit (a transfer from it goes to one of them), with their free places. */
export const fetchSitesServing = (unit: string) => getJson<SitePage>(`/api/quarantine/sites${qs({ servingUnit: unit, open: 'true', limit: '200' })}`);
/** Quarantine sites within reach, with their occupancy (GET /api/quarantine/sites). */
export const fetchSites = () => getJson<SitePage>('/api/quarantine/sites?limit=200');
export type SiteInput = SiteBody;
export const openSite = (body: SiteInput) => send<SiteOut>('POST', '/api/quarantine/sites', body);
export const changeSite = (id: number, body: SiteChangeBody) => send<SiteOut>('PATCH', `/api/quarantine/sites/${id}`, body);
/** The persons held now at a site (GET /api/quarantine/assignments). */
export const fetchHeldAt = (siteId: number) => getJson<AssignmentPage>(`/api/quarantine/assignments${qs({ siteId, open: 'true', limit: 200 })}`);
/** What the persons held at a site owe today: tests due (not taken first) and releases due (GET /api/quarantine/due). */
export const fetchDueAt = (siteId: number) => getJson<DueOut>(`/api/quarantine/due${qs({ siteId, limit: 200 })}`);
/** A site's occupancy by day, the fortnight to today. */
export const fetchOccupancy = (siteId: number) => getJson<OccupancyOut>(`/api/quarantine/sites/${siteId}/occupancy`);
export const releaseAssignment = (id: number, note: string) => send<AssignmentOut>('POST', `/api/quarantine/assignments/${id}/release`, { note });
/** An arrival from a risk area put in quarantine, found by the ID number on their card (POST /api/quarantine/arrivals). */
export const assignArrival = (body: ArrivalBody) => send<AssignmentOut>('POST', '/api/quarantine/arrivals', body);
/** Where the edition holds arrivals from a high- and a medium-risk area, and for how many days (GET /api/protocol, public). */
export const fetchArrivalRules = () => getJson<ProtocolEdition>('/api/protocol').then((e) => e.riskAreas);

/** Daily follow-up: who is under it and where each stands today; reports; reminders; the resident's own. */
export type { FollowUpList, MyFollowUp, ReportOut, ReportBody };
export const fetchFollowUp = (state: 'all' | 'missed' | 'lost', siteId?: number) => getJson<FollowUpList>(`/api/follow-up${qs({ state, siteId, limit: 200 })}`);
export const recordFollowUpReport = (personId: number, body: ReportBody) => send<ReportOut>('POST', '/api/follow-up/reports', { personId, ...body });
export const sendFollowUpReminders = (siteId?: number) => send<RemindersOut>('POST', '/api/follow-up/reminders', siteId === undefined ? {} : { siteId });
/** The plausible range of a body temperature the edition in force takes (degrees Celsius; GET /api/protocol, public). */
export const fetchTemperatureRange = () => getJson<ProtocolEdition>('/api/protocol').then((e) => e.checkpoint.plausibleTemperatureC);
export const fetchMyFollowUp = () => getJson<MyFollowUp>('/api/me/follow-up');
export const reportMyFollowUp = (body: ReportBody) => send<ReportOut>('POST', '/api/me/follow-up/reports', body);
/** My appeals against my code (newest first) and a new one: a task for my county's investigators. */
export type MyAppeal = AppealOut;
export const fetchMyAppeals = () => getJson<MyAppeals>('/api/me/appeals');
export const appealMyCode = (reason: string) => send<MyAppeal>('POST', '/api/me/appeals', { reason });
export const fetchTask = (id: number) => getJson<TaskDetail>(`/api/tasks/${id}`);
export type TaskStep = 'accept' | 'start' | 'complete';
export type { TaskWorkBody };
export const workOnTask = (id: number, step: TaskStep, body: TaskWorkBody) => send<TaskOut>('POST', `/api/tasks/${id}/${step}`, body);
export const fetchDirectives = () => getJson<DirectivePage>('/api/directives?limit=20');
export const fetchDirective = (id: number) => getJson<DirectiveDetail>(`/api/directives/${id}`);
export type DirectiveInput = DirectiveBody;
export const issueDirective = (d: DirectiveInput) => send<DirectiveIssued>('POST', '/api/directives', d);

/** GET /api/dashboard: the command dashboard of a unit (the server's day, +08:00). */
export type DashboardChild = Dashboard['children'][number];
export const fetchDashboard = (region?: string) => getJson<Dashboard>(`/api/dashboard${qs({ region })}`);
export const fetchCountyGeo = (city: string) => getJson<object>(`/api/geo/counties${qs({ city })}`);

/** Persons, masked (GET /api/persons/:id, within scope), and a full identity read with its purpose (audited). */
export type PersonMasked = PersonOut;
export type { ListedPersonOut };
export type Identity = z.infer<typeof IdentityOut>;
export const fetchPerson = (id: number) => getJson<PersonMasked>(`/api/persons/${id}`);
export const fetchPersons = (region: string, after?: number) => getJson<z.infer<typeof PersonPage>>(`/api/persons${qs({ region, after, limit: 50 })}`);
export const fetchIdentity = (id: number, purpose: string) => getJson<Identity>(`/api/persons/${id}/identity${qs({ purpose })}`);

/** The daily bulletin (GET /api/bulletins/today, /:date; ?format=text for the text export). */
export const fetchBulletin = (date?: string) => getJson<BulletinOut>(`/api/bulletins/${date ?? 'today'}`);
export const bulletinTextUrl = (date: string) => `/api/bulletins/${date}?format=text`;

/** Supervision: inspections with findings (rectification tasks) and re-inspections. */
export type InspectionInput = InspectionBody;
export const recordInspection = (i: InspectionInput) => send<InspectionWithTasks>('POST', '/api/inspections', i);
export const reinspect = (taskId: number, body: ReinspectBody) => send<Reinspected>('POST', `/api/tasks/${taskId}/reinspect`, body);
export type RegionRow = RegionOut;
export const fetchRegions = (parent: string) => getJson<RegionPage>(`/api/regions${qs({ parent, limit: 500 })}`);
export const fetchRegion = (code: string) => getJson<RegionRow>(`/api/regions/${code}`);
export const fetchTaskSummary = (kind?: string) => getJson<TaskSummary>(`/api/tasks/summary${qs({ kind })}`);

/** Designated hospitals: hospitals, admissions with severity and treatments, the TCM rate, expert teams. */
export type { AdmissionDetail, AdmissionOut, HospitalOut, TcmOut, TeamOut };
export const fetchHospitals = () => getJson<HospitalPage>('/api/hospitals?limit=200');
export const designateHospital = (body: HospitalBody) => send<HospitalOut>('POST', '/api/hospitals', body);
export const fetchTcm = () => getJson<TcmOut>('/api/hospitals/tcm');
export const fetchExpertTeams = () => getJson<TeamPage>('/api/hospitals/expert-teams?limit=100');
export const dispatchExpertTeam = (body: TeamBody) => send<TeamOut>('POST', '/api/hospitals/expert-teams', body);
export const fetchAdmissions = (hospitalId: number, state: 'in_hospital' | 'follow_up' | 'all') =>
  getJson<AdmissionPage>(`/api/hospitals/admissions${qs({ hospitalId, state: state === 'all' ? undefined : state, limit: 200 })}`);
export const admitToHospital = (body: AdmitBody) => send<AdmissionDetail>('POST', '/api/hospitals/admissions', body);
export const recordSeverity = (id: number, body: SeverityBody) => send<AdmissionDetail>('POST', `/api/hospitals/admissions/${id}/severity`, body);
export const recordTreatment = (id: number, body: TreatmentBody) => send<AdmissionDetail>('POST', `/api/hospitals/admissions/${id}/treatments`, body);
export const dischargeAdmission = (id: number, body: DischargeBody) => send<AdmissionDetail>('POST', `/api/hospitals/admissions/${id}/discharge`, body);

/** Stranded visitors: lodged at hotels, their care, their journey home. */
export type { StrandedList, VisitorDetail, VisitorOut };
export const fetchStranded = (state: 'lodged' | 'released' | 'all') => getJson<StrandedList>(`/api/stranded${qs({ state: state === 'all' ? undefined : state, limit: 200 })}`);
export const registerStranded = (body: StrandedBody) => send<VisitorDetail>('POST', '/api/stranded', body);
export const giveCare = (id: number, kind: 'meals' | 'medicine' | 'counselling') => send<VisitorDetail>('POST', `/api/stranded/${id}/care`, { kind });
export const sendHome = (id: number, journeyHome: string, note: string) => send<VisitorDetail>('POST', `/api/stranded/${id}/release`, { journeyHome, note });

/** Search (GET /api/search/...): persons within scope (audited), a case by number, places, trips by number and date. */
export type { PersonSearchOut, CaseOut, PlaceOut };
export const searchPersons = (q: string, purpose?: string) => getJson<PersonSearchOut>(`/api/search/persons${qs({ q, purpose })}`);
export const searchCases = (q: string) => getJson<CaseHits>(`/api/search/cases${qs({ q })}`);
export const searchPlaces = (q: string) => getJson<PlaceHits>(`/api/search/places${qs({ q })}`);
export const searchTrips = (number: string, date: string) => getJson<PlaceHits>(`/api/search/trips${qs({ number, date })}`);

/** The public's look-ups (no sign-in): was a case on this trip or at this venue at this time; venues by name. */
export type PublicExposure = ExposureOut;
export type SameTrip = SameTripOut;
export const sameTripByNumber = (trip: string, date: string) => getJson<SameTrip>(`/api/public/same-trip${qs({ trip, date })}`);
export const sameTripAtVenue = (place: string, from: string, to: string) => getJson<SameTrip>(`/api/public/same-trip${qs({ place, from, to })}`);
export const findVenues = (q: string) => getJson<VenueList>(`/api/public/places${qs({ q })}`);

/** The investigator's workbench: a case, its trajectory from the interview, its contacts with their evidence. */
export type { ContactOut, ListedContactOut, TrajectoryRowIn, TrajectoryRowOut };
/** The cases, contacts and persons lists (keyset-paged, 50 a page) with their filters, and the same lists as files. */
/**
 * The filters of GET /api/cases and /api/contacts, named as their schemas name them; a value as the page's select
 * gives it (text), checked by the server.
 */
export type CaseListFilter = Pick<z.input<typeof CaseQuery>, 'region' | 'outcome' | 'kind'>;
export type ContactListFilter = Pick<z.input<typeof ContactListQuery>, 'region' | 'status' | 'kind'>;
export type PersonListFilter = Pick<z.input<typeof PersonQuery>, 'region' | 'colour'>;
export type ListName = 'cases' | 'contacts' | 'persons';
export const fetchCaseList = (f: CaseListFilter, after?: number) => getJson<CasePage>(`/api/cases${qs({ ...f, after, limit: 50 })}`);
export const fetchContactList = (f: ContactListFilter, after?: number) => getJson<ContactPage>(`/api/contacts${qs({ ...f, after, limit: 50 })}`);
export const fetchPersonList = (f: PersonListFilter, after?: number) => getJson<z.infer<typeof PersonPage>>(`/api/persons${qs({ ...f, after, limit: 50 })}`);

/**
 * Downloads the file at `url` (a GET) as the name the server gives it (`fallback` otherwise); a refusal (too large,
 * too many a minute, no permission) throws its ApiError, so the page can say why instead of saving an error as a file.
 */
async function downloadFile(url: string, fallback: string): Promise<void> {
  const r = await fetch(url, { credentials: 'same-origin' });
  if (!r.ok) await answer(url, r);
  const name = /filename="([^"]+)"/.exec(r.headers.get('content-disposition') ?? '')?.[1] ?? fallback;
  const href = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
/** Downloads a list's export (GET /api/{list}/export) with the page's filter; a refused export throws its ApiError. */
export const downloadListExport = (list: ListName, filter: Record<string, string | undefined>, format: 'xlsx' | 'csv', lang: 'zh' | 'en') =>
  downloadFile(`/api/${list}/export${qs({ ...filter, format, lang })}`, `${list}.${format}`);
export const fetchCase = (id: number) => getJson<CaseOut>(`/api/cases/${id}`);
export const fetchTrajectory = (id: number) => getJson<TrajectoryOut>(`/api/cases/${id}/trajectory`);
/** Every contact of a case within scope (read 500 a page until the last), and how many live outside it. */
export async function fetchCaseContacts(id: number): Promise<CaseContactPage> {
  let page = await getJson<CaseContactPage>(`/api/cases/${id}/contacts?limit=500`);
  const items = [...page.items];
  while (page.nextAfter !== null) {
    page = await getJson<CaseContactPage>(`/api/cases/${id}/contacts?limit=500&after=${page.nextAfter}`);
    items.push(...page.items);
  }
  return { ...page, items, nextAfter: null };
}
/** Downloads a case's contacts (masked, audited) as XLSX or CSV in the page's language, with the page's filter (kind, setting); a refusal throws its ApiError. */
export const downloadCaseContacts = (id: number, format: 'xlsx' | 'csv', lang: 'zh' | 'en', filter: { kind?: string; setting?: string } = {}) =>
  downloadFile(`/api/cases/${id}/contacts/export${qs({ format, lang, ...filter })}`, `contacts.${format}`);
/** A contact by the investigators' judgement (protocol setting 9), with its reason; times as YYYY-MM-DD HH:MM (CST). */
export const addManualContact = (caseId: number, body: ManualContactBody) => send<ContactOut>('POST', `/api/cases/${caseId}/contacts`, body);
export const addTrajectoryRows = (id: number, rows: TrajectoryRowIn[]) => send<TrajectoryAdded>('POST', `/api/cases/${id}/trajectory`, { rows });

/** Nameless trajectory notices: published from a case's trajectory; read by anyone. */
export type { NoticeOut };
export const publishNotice = (caseId: number, title: string) => send<NoticeOut>('POST', `/api/cases/${caseId}/notices`, { title });
export const fetchNotices = (q?: string) => getJson<NoticeList>(`/api/public/notices${qs({ q })}`);

/**
 * Chains of transmission (GET /api/chains) as the case page reads them, and an investigator's verdict on a link. The
 * chains' type is what the route sends (`presentChains` in the route's schema.ts; no zod schema, see there).
 */
export type { ChainOut, ChainsOut, InferenceOut };
/** The chains and R(t) of what the user may see, or of the residents of `region` (a dashboard drilled down to it). */
export const fetchChains = (region?: string) => getJson<ChainsOut>(region ? `/api/chains?region=${encodeURIComponent(region)}` : '/api/chains');
/** Downloads the chains reaching `region` (all within reach without one) as CSV (links), GraphML (cases, links and events) or JSON; audited on the server; a refusal throws its ApiError. */
export const downloadChainsExport = (region: string | undefined, format: 'csv' | 'graphml' | 'json', lang: 'zh' | 'en') =>
  downloadFile(`/api/chains/export${qs({ region, format, lang })}`, `chains.${format}`);
export const setLinkVerdict = (infectorCaseId: number, infecteeCaseId: number, verdict: 'confirmed' | 'rejected' | 'cleared') =>
  send<LinkOut>('POST', '/api/links', { infectorCaseId, infecteeCaseId, verdict, note: null });
/** An exposure event an investigator enters (times as YYYY-MM-DD HH:MM, China Standard Time; case ids). */
export type { ExposureEventBody as ExposureEventIn, ExposureEventOut };
export const addExposureEvent = (body: ExposureEventBody) => send<ExposureEventOut>('POST', '/api/exposure-events', body);
/** Withdraws an exposure event entered by mistake, with the reason (kept in the corrections). */
export const withdrawExposureEvent = (id: number, reason: string) => send<{ id: number; name: string; withdrawn: true }>('POST', `/api/exposure-events/${id}/withdraw`, { reason });

/** A case's interview (流调表): read with its deadline; saved as a draft or completed, from the version read. */
export type { InterviewOut };
/** The answers as sent: times as YYYY-MM-DD HH:MM (China Standard Time). */
export type InterviewAnswersIn = InterviewBody['answers'];
export const fetchInterview = (caseId: number) => getJson<InterviewOut>(`/api/cases/${caseId}/interview`);
export const saveInterview = (caseId: number, body: InterviewBody) => send<InterviewOut>('PUT', `/api/cases/${caseId}/interview`, body);
