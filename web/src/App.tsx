/**
 * The page: signed out, the staff and resident sign-in forms and the public list of risk areas; a resident signed
 * in, their own code, itinerary and results (Resident.tsx); signed in with a one-time password, the
 * form to choose one; signed in, what the role may see (the session lists its actions): for command centres,
 * investigators and auditors the situation overview (province totals, the 14 cities on a map of Hunan, a table of
 * the same figures), for the others what their role is for; risk areas for all. The shell around it: the header with
 * who is signed in and the language, the navigation by role (the command dashboard for those who read the overview
 * and tasks, my tasks for those who work them), and the routes.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';
import { ConfigProvider, Menu } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import {
  ApiError, changePassword, fetchCityGeo, fetchHealth, fetchOverview, fetchRiskAreas, fetchSession, signIn, signOut,
  type CityRow, type Health, type Overview, type RiskArea, type Session,
} from './api.ts';
import { CityMap } from './CityMap.tsx';
import { ResidentHome, ResidentSignIn } from './Resident.tsx';
import { CITY_EN, WORDS, type Lang, type Words } from './i18n.ts';
import { AppContext, problem } from './context.ts';

// The work pages load when first opened (the sign-in page and the overview do not wait for them).
const CommandDashboard = lazy(() => import('./pages/Command.tsx').then((m) => ({ default: m.CommandDashboard })));
const DirectiveDetail = lazy(() => import('./pages/Command.tsx').then((m) => ({ default: m.DirectiveDetail })));
const SupervisionPage = lazy(() => import('./pages/Supervision.tsx').then((m) => ({ default: m.SupervisionPage })));
const QuarantinePage = lazy(() => import('./pages/Quarantine.tsx').then((m) => ({ default: m.QuarantinePage })));
const HospitalsPage = lazy(() => import('./pages/Hospitals.tsx').then((m) => ({ default: m.HospitalsPage })));
const BulletinPage = lazy(() => import('./pages/Bulletin.tsx').then((m) => ({ default: m.BulletinPage })));
const MyTasksPage = lazy(() => import('./pages/MyTasks.tsx').then((m) => ({ default: m.MyTasksPage })));
const SearchPage = lazy(() => import('./pages/Search.tsx').then((m) => ({ default: m.SearchPage })));
const ListsPage = lazy(() => import('./pages/Lists.tsx').then((m) => ({ default: m.ListsPage })));
const CaseWorkbench = lazy(() => import('./pages/CaseWorkbench.tsx').then((m) => ({ default: m.CaseWorkbench })));
const NoticesPage = lazy(() => import('./pages/Notices.tsx').then((m) => ({ default: m.NoticesPage })));
const SameTripPage = lazy(() => import('./pages/SameTrip.tsx').then((m) => ({ default: m.SameTripPage })));

const KPIS = ['persons', 'places', 'presence', 'cases', 'contacts', 'redCodes', 'yellowCodes', 'activeChains'] as const;
const RISK_COLOURS = ['#eef3ee', '#f5a623', '#d0342c'];
const RISK_RANK = { low: 0, medium: 1, high: 2 } as const;

function initialLang(): Lang {
  const saved = localStorage.getItem('cordon.lang');
  return saved === 'en' ? 'en' : 'zh-CN';
}

function SignIn({ w, onSignedIn }: { w: Words; onSignedIn: (s: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    signIn(username.trim(), password).then(onSignedIn).catch((err: unknown) => setError(problem(w, err, { VALIDATION_FAILED: w.signInInvalid }))).finally(() => setBusy(false));
  };
  return (
    <form className="panel account-form" data-testid="sign-in" onSubmit={submit}>
      <h2>{w.signInTitle}</h2>
      <label>{w.username}<input name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} /></label>
      <label>{w.password}<input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} /></label>
      {error && <p className="error" role="alert" data-testid="sign-in-error">{error}</p>}
      <button type="submit" disabled={busy}>{w.signIn}</button>
    </form>
  );
}

function ChangePassword({ w, onChanged }: { w: Words; onChanged: (s: Session) => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) { setError(w.passwordsDiffer); return; }
    changePassword(current, next).then(onChanged).catch((err: unknown) => setError(problem(w, err, { WRONG_CREDENTIALS: w.passwordWrong, VALIDATION_FAILED: w.passwordInvalid })));
  };
  return (
    <form className="panel account-form" data-testid="change-password" onSubmit={submit}>
      <h2>{w.changePasswordTitle}</h2>
      <label>{w.currentPassword}<input name="current" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} /></label>
      <label>{w.newPassword}<input name="new" type="password" autoComplete="new-password" required minLength={10} value={next} onChange={(e) => setNext(e.target.value)} /></label>
      <label>{w.confirmPassword}<input name="again" type="password" autoComplete="new-password" required minLength={10} value={again} onChange={(e) => setAgain(e.target.value)} /></label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit">{w.save}</button>
    </form>
  );
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  /** undefined while it is asked; null when no one is signed in. */
  const [session, setSession] = useState<Session | null>();
  const [health, setHealth] = useState<Health>();
  const [risk, setRisk] = useState<{ ruleSet: string; items: RiskArea[] }>();
  const [staff, setStaff] = useState<{ overview: Overview; geo: object }>();
  /** The cities' boundaries, public: the risk-area map anyone sees. */
  const [geo, setGeo] = useState<object>();
  const [error, setError] = useState<string>();
  const w: Words = WORDS[lang];
  // Date pickers name months and weekdays in dayjs's language, not antd's: kept to the page's.
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  const may = useCallback((action: string) => session?.mustChangePassword === false && session.actions.includes(action), [session]);
  const seesOverview = may('overview:read') && may('regions:read');
  const isResident = session?.user.kind === 'resident';

  useEffect(() => {
    Promise.all([fetchSession(), fetchHealth(), fetchRiskAreas()])
      .then(([s, h, r]) => { setSession(s); setHealth(h); setRisk(r); })
      .catch((e: Error) => setError(e.message));
    // The map is a help to the list beside it: without it the list still says everything.
    fetchCityGeo().then(setGeo).catch(() => undefined);
  }, []);

  useEffect(() => {
    setStaff(undefined);
    if (!seesOverview) return;
    Promise.all([fetchOverview(), fetchCityGeo()])
      .then(([overview, geo]) => setStaff({ overview, geo }))
      .catch((e: unknown) => (e instanceof ApiError && e.status === 401 ? setSession(null) : setError((e as Error).message)));
  }, [seesOverview]);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `Cordon · ${w.title}`;
    localStorage.setItem('cordon.lang', lang);
  }, [lang, w.title]);

  const cityName = useCallback((c: CityRow) => (lang === 'en' ? CITY_EN[c.code] ?? c.code : c.name ?? c.code), [lang]);
  const fmt = (n: number) => n.toLocaleString(lang);
  // The highest risk level of any area in each city (the first four digits of a division code name its city).
  const riskByCity = useMemo(() => {
    const out: Record<string, number> = {};
    for (const a of risk?.items ?? []) out[a.regionCode.slice(0, 4)] = Math.max(out[a.regionCode.slice(0, 4)] ?? 0, RISK_RANK[a.level]);
    return out;
  }, [risk]);
  /** The cities as the boundaries name them (code and name), for the public's map. */
  const geoCities = useMemo((): CityRow[] => ((geo as { features?: { properties: { code: string; name: string } }[] } | undefined)?.features ?? [])
    .map((f) => ({ code: f.properties.code, name: f.properties.name, persons: 0, places: 0, cases: 0, contacts: 0 })), [geo]);
  const describeRisk = useCallback((v: number) => w.levels[(['low', 'medium', 'high'] as const)[v] ?? 'low'], [w]);
  const leave = () => { signOut().catch(() => undefined).finally(() => setSession(null)); };
  const loading = session === undefined || (seesOverview && !staff);
  const location = useLocation();
  const app = useMemo(() => ({ w, lang, session, may }), [w, lang, session, may]);
  const nav = [
    { key: '/', label: <Link to="/" data-testid="nav-home">{w.nav.home}</Link> },
    ...(may('overview:read') && may('tasks:read') ? [{ key: '/command', label: <Link to="/command" data-testid="nav-command">{w.nav.command}</Link> }] : []),
    ...(may('inspections:read') ? [{ key: '/supervision', label: <Link to="/supervision" data-testid="nav-supervision">{w.nav.supervision}</Link> }] : []),
    ...(may('quarantine:assign') || may('quarantine:sites') || may('follow-up:report') ? [{ key: '/quarantine', label: <Link to="/quarantine" data-testid="nav-quarantine">{w.nav.quarantine}</Link> }] : []),
    ...(may('hospitals:read') ? [{ key: '/hospitals', label: <Link to="/hospitals" data-testid="nav-hospitals">{w.nav.hospitals}</Link> }] : []),
    ...(may('bulletins:read') ? [{ key: '/bulletin', label: <Link to="/bulletin" data-testid="nav-bulletin">{w.nav.bulletin}</Link> }] : []),
    ...(may('tasks:work') ? [{ key: '/tasks', label: <Link to="/tasks" data-testid="nav-tasks">{w.nav.tasks}</Link> }] : []),
    ...(may('persons:search') || may('cases:read') || may('places:read') ? [{ key: '/search', label: <Link to="/search" data-testid="nav-search">{w.nav.search}</Link> }] : []),
    ...(may('cases:read') || may('contacts:read') || may('persons:read') ? [{ key: '/lists', label: <Link to="/lists" data-testid="nav-lists">{w.nav.lists}</Link> }] : []),
  ];
  // A case's workbench is opened from search: it keeps that entry selected.
  const selected = nav.map((n) => n.key).filter((k) => k !== '/' && (location.pathname.startsWith('/cases/') ? '/search' : location.pathname).startsWith(k))[0] ?? '/';
  /**
   * A page for a signed-in role that may read it; others go to the home page (sign-in or their own). Someone not
   * signed in is brought back to the page once signed in (a link to a directive, sent to a director, opens it).
   */
  const guarded = (ok: boolean, page: ReactNode) => (session === undefined ? <p>{w.loading}</p> : ok ? <Suspense fallback={<p>{w.loading}</p>}>{page}</Suspense>
    : <Navigate to="/" replace state={session === null ? { from: `${location.pathname}${location.search}` } : undefined} />);
  /** The page a signed-out visitor asked for (see guarded), to go back to once signed in. */
  const cameFrom = session && !session.mustChangePassword ? (location.state as { from?: unknown } | null)?.from : undefined;

  const home = (
    <>
      {!error && loading && <p>{w.loading}</p>}
      {session === null && (
        <section className="account-forms">
          <SignIn w={w} onSignedIn={setSession} />
          <ResidentSignIn w={w} onSignedIn={() => { fetchSession().then(setSession).catch((e: Error) => setError(e.message)); }} />
          <div className="panel public-note"><p data-testid="public-note">{w.publicNote}</p><p><Link to="/check" data-testid="link-check">{w.check.title}</Link> · <Link to="/notices" data-testid="link-notices">{w.notices.title}</Link></p></div>
        </section>
      )}
      {isResident && <ResidentHome w={w} lang={lang} onSignedOut={() => setSession(null)} />}
      {isResident && <p className="resident-links"><Link to="/check" data-testid="link-check">{w.check.title}</Link> · <Link to="/notices" data-testid="link-notices">{w.notices.title}</Link></p>}
      {session?.mustChangePassword && <section className="account-row"><ChangePassword w={w} onChanged={setSession} /></section>}
      {session && !session.mustChangePassword && !seesOverview && !isResident && (
        <section className="panel role-note" data-testid="role-note">
          <p>{w.noOverview}</p>
          <p>{w.roleNotes[session.user.role] ?? ''}</p>
        </section>
      )}
      {staff && (
        <>
          <section className="kpis">
            {KPIS.map((k) => (
              <div className={`kpi kpi-${k}`} key={k}>
                <div className="kpi-label">{w[k]}</div>
                <div className="kpi-value" data-testid={`kpi-${k}`} data-value={staff.overview.totals[k]}>{fmt(staff.overview.totals[k])}</div>
              </div>
            ))}
          </section>
          <section className="main">
            <div className="panel">
              <h2>{w.mapTitle}</h2>
              <CityMap geo={staff.geo} cities={staff.overview.cities} label={cityName} seriesName={w.cases} />
            </div>
            <div className="panel">
              <table data-testid="city-table">
                <thead>
                  <tr><th>{w.city}</th><th>{w.persons}</th><th>{w.places}</th><th>{w.cases}</th><th>{w.contacts}</th></tr>
                </thead>
                <tbody>
                  {staff.overview.cities.map((c) => (
                    <tr key={c.code} data-code={c.code}>
                      <td>{cityName(c)}</td><td>{fmt(c.persons)}</td><td>{fmt(c.places)}</td><td>{fmt(c.cases)}</td><td>{fmt(c.contacts)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
      {risk && !loading && !session?.mustChangePassword && (
        <section className={geo ? 'main' : 'single'}>
          {geo && (
            <div className="panel">
              <h2>{w.riskMapTitle}</h2>
              <CityMap geo={geo} cities={staff?.overview.cities ?? geoCities} label={cityName} seriesName={w.riskTitle} values={riskByCity} max={2} colors={RISK_COLOURS} describe={describeRisk} testId="risk-map" />
            </div>
          )}
          <div className="panel">
            <h2>{w.riskTitle} <small>{lang === 'en' ? `(${w.ruleSet}: ${w.ruleSets[risk.ruleSet as keyof Words['ruleSets']] ?? risk.ruleSet})` : `（${w.ruleSet}：${w.ruleSets[risk.ruleSet as keyof Words['ruleSets']] ?? risk.ruleSet}）`}</small></h2>
            {risk.items.length === 0 ? <p data-testid="risk-empty">{w.riskNone}</p> : (
              <table data-testid="risk-table">
                <thead><tr><th>{w.level}</th><th>{w.area}</th><th>{w.since}</th><th>{w.reason}</th></tr></thead>
                <tbody>
                  {risk.items.map((a) => (
                    <tr key={a.regionCode} data-code={a.regionCode} data-level={a.level}>
                      <td className={`risk-${a.level}`}>{w.levels[a.level]}</td><td>{a.name ?? a.regionCode} <small>{a.regionCode}</small></td>
                      <td>{a.since.slice(0, 16).replace('T', ' ')}</td><td data-testid="risk-reason">{w.riskReason(a.reasonCode, a.reasonArgs) ?? (lang === 'en' ? a.reason : w.reasonUnavailable)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </section>
      )}
    </>
  );

  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#9f1d20', borderRadius: 4 } }}>
      <AppContext.Provider value={app}>
        <div className="page">
          <header>
            <div>
              <h1 data-testid="title">{w.title}</h1>
              <p data-testid="subtitle">{location.pathname === '/check' ? w.subtitleOf(w.nav.check) : location.pathname === '/notices' ? w.subtitleOf(w.nav.notices) : selected === '/' ? w.subtitle : w.subtitleOf(w.nav[selected.slice(1) as keyof Words['nav']])}</p>
            </div>
            <div className="header-tools">
              {session && (
                <span className="who" data-testid="who" data-role={session.user.role}>
                  {isResident ? w.roles.resident : `${session.user.name} · ${w.roles[session.user.role] ?? session.user.role}${session.user.region ? ` · ${session.user.region === '43' && lang === 'en' ? 'Hunan' : session.user.regionName ?? session.user.region}` : ''}`}
                </span>
              )}
              {session && <button type="button" data-testid="sign-out" onClick={leave}>{w.signOut}</button>}
              <button type="button" data-testid="lang-switch" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>{w.switchTo}</button>
            </div>
          </header>
          {session && !session.mustChangePassword && nav.length > 1 && (
            <Menu mode="horizontal" selectedKeys={[selected]} items={nav} className="nav" data-testid="nav" />
          )}
          {error && <p className="error" role="alert">{w.failed}{error}</p>}
          <Routes>
            {/* A role that reads no overview but works tasks (a grid worker) starts on its tasks. */}
            <Route path="/" element={typeof cameFrom === 'string' && cameFrom.startsWith('/') && !cameFrom.startsWith('//') ? <Navigate to={cameFrom} replace />
              : session && !session.mustChangePassword && !seesOverview && !isResident && may('tasks:work') ? <Navigate to="/tasks" replace /> : home} />
            <Route path="/command" element={guarded(may('overview:read') && may('tasks:read'), <CommandDashboard />)} />
            <Route path="/command/directives/:id" element={guarded(may('directives:read'), <DirectiveDetail />)} />
            <Route path="/supervision" element={guarded(may('inspections:read'), <SupervisionPage />)} />
            <Route path="/quarantine" element={guarded(may('quarantine:read'), <QuarantinePage />)} />
            <Route path="/hospitals" element={guarded(may('hospitals:read'), <HospitalsPage />)} />
            <Route path="/bulletin" element={guarded(may('bulletins:read'), <BulletinPage />)} />
            <Route path="/tasks" element={guarded(may('tasks:work'), <MyTasksPage />)} />
            <Route path="/search" element={guarded(may('persons:search') || may('cases:read') || may('places:read'), <SearchPage />)} />
            <Route path="/lists" element={guarded(may('cases:read') || may('contacts:read') || may('persons:read'), <ListsPage />)} />
            <Route path="/cases/:id" element={guarded(may('cases:read'), <CaseWorkbench />)} />
            <Route path="/notices" element={<Suspense fallback={<p>{w.loading}</p>}><NoticesPage /></Suspense>} />
            <Route path="/check" element={<Suspense fallback={<p>{w.loading}</p>}><SameTripPage /></Suspense>} />
            <Route path="*" element={<p data-testid="not-found">{w.notFound}</p>} />
          </Routes>
          {health && (
            <footer>
              {w.edition}: <span data-testid="edition" data-id={health.edition}>{w.editions[health.edition] ?? health.edition}</span> · {w.engine}: <span data-testid="engine">{health.engine}</span> ·{' '}
              <a href="/docs">{w.docs}</a> · {w.version} {health.version}
            </footer>
          )}
        </div>
      </AppContext.Provider>
    </ConfigProvider>
  );
}
