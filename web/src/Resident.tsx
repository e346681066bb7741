/**
 * The public's page: a resident signs in with their ID number and a code sent to their registered phone, then sees
 * their own health code (a QR of a fresh signed token, in its colour, with the reasons), their itinerary card and
 * their test results. Nothing here reads anyone else.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import QRCode from 'qrcode';
import { ApiError, appealMyCode, fetchMe, fetchMyAppeals, fetchMyCode, fetchMyFollowUp, fetchMyResults, fetchTemperatureRange, reportMyFollowUp, requestResidentCode, residentSignIn, type Me, type MyAppeal, type MyCode, type MyFollowUp, type MyResult } from './api.ts';
import { idBirthDateReal, idCheckChar } from '../../src/domain/idCheck.ts';
import { problem } from './context.ts';
import type { Lang, Words } from './i18n.ts';

const ID_FORM = /^\d{17}[\dXx]$/;
/** Why an ID number as typed cannot be one (its form, then its check character), or undefined. */
const idProblem = (id: string, r: { idInvalid: string; idBirthDate: string; idCheckDigit: string }): string | undefined => {
  if (!ID_FORM.test(id)) return r.idInvalid;
  if (!idBirthDateReal(id)) return r.idBirthDate;
  return idCheckChar(id.slice(0, 17)) !== id[17].toUpperCase() ? r.idCheckDigit : undefined;
};
const COLOURS = { green: '#0a7d32', yellow: '#c79100', red: '#c62828' } as const;

const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

export function ResidentSignIn({ w, onSignedIn }: { w: Words; onSignedIn: () => void }) {
  const r = w.resident;
  const [idNumber, setIdNumber] = useState('');
  const [code, setCode] = useState('');
  const [note, setNote] = useState<string>();
  const [error, setError] = useState<string>();
  const [wait, setWait] = useState(0);
  useEffect(() => {
    if (wait <= 0) return undefined;
    const t = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);
  const send = () => {
    setError(undefined);
    const wrong = idProblem(idNumber.trim(), r);
    if (wrong) { setError(wrong); return; }
    requestResidentCode(idNumber.trim()).then((a) => { setNote(r.codeSent); setWait(a.resendAfterSeconds); })
      .catch((e: unknown) => setError(e instanceof ApiError && e.code === 'VALIDATION_FAILED' ? r.idInvalid : problem(w, e)));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const wrong = idProblem(idNumber.trim(), r);
    if (wrong) { setError(wrong); return; }
    if (!/^\d{6}$/.test(code.trim())) { setError(r.codeInvalid); return; }
    residentSignIn(idNumber.trim(), code.trim()).then(onSignedIn)
      .catch((err: unknown) => setError(err instanceof ApiError && err.code === 'VALIDATION_FAILED' ? r.idInvalid : problem(w, err)));
  };
  return (
    <form className="panel account-form" data-testid="resident-sign-in" onSubmit={submit}>
      <h2>{r.signInTitle}</h2>
      <label>{r.idNumber}<input name="idNumber" inputMode="text" autoComplete="off" maxLength={18} required value={idNumber} onChange={(e) => setIdNumber(e.target.value)} /></label>
      <div className="code-row">
        <label>{r.code}<input name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={code} onChange={(e) => setCode(e.target.value)} /></label>
        <button type="button" className="secondary" data-testid="send-code" disabled={wait > 0} onClick={send}>{wait > 0 ? r.resend(wait) : r.sendCode}</button>
      </div>
      {note && <p className="note" data-testid="code-note">{note}</p>}
      {error && <p className="error" role="alert" data-testid="resident-error">{error}</p>}
      <button type="submit">{r.signIn}</button>
    </form>
  );
}

export function ResidentHome({ w, lang, onSignedOut }: { w: Words; lang: Lang; onSignedOut: () => void }) {
  const r = w.resident;
  const [me, setMe] = useState<Me>();
  const [code, setCode] = useState<MyCode>();
  const [qr, setQr] = useState<string>();
  const [results, setResults] = useState<MyResult[]>();
  const [error, setError] = useState<string>();
  const load = useCallback(() => {
    Promise.all([fetchMe(), fetchMyCode(), fetchMyResults()])
      .then(async ([m, c, res]) => {
        setMe(m); setCode(c); setResults(res.items);
        setQr(await QRCode.toDataURL(c.token, { errorCorrectionLevel: 'M', margin: 2, width: 240, color: { dark: COLOURS[c.colour], light: '#ffffff' } }));
      })
      .catch((e: unknown) => (e instanceof ApiError && e.status === 401 ? onSignedOut() : setError(w.errorOther)));
  }, [onSignedOut, w.errorOther]);
  useEffect(load, [load]);
  if (error) return <p className="error" role="alert">{error}</p>;
  if (!me || !code || !results) return <p>{w.loading}</p>;
  return (
    <section className="resident" data-testid="resident-home">
      <div className={`panel health-code code-${code.colour}`} data-testid="my-code" data-colour={code.colour}>
        <h2>{r.title}</h2>
        <p className="holder" data-testid="holder">{me.name} · {me.idMasked}</p>
        {qr && <img className="qr" src={qr} alt={r.qrAlt} width={240} height={240} data-testid="qr" />}
        <p className="colour-name" style={{ color: COLOURS[code.colour] }}>{r.colours[code.colour]}</p>
        <p>{r.colourNote[code.colour]}</p>
        <p className="small">{r.tokenExpires} {when(code.tokenExpiresAt)} · <button type="button" className="link" data-testid="refresh" onClick={load}>{r.refresh}</button></p>
        {code.reasons.length > 0 && (
          <div className="reasons" data-testid="reasons">
            <h3>{r.reasons}</h3>
            <ul>{code.reasons.map((x) => (
              <li key={x.condition} data-testid="reason" data-condition={x.condition}>
                {r.conditions[x.condition] ?? x.condition}{x.untilAt ? `（${r.until} ${when(x.untilAt)}）` : ''}
                {x.ends && <span className="small ends" data-testid="reason-ends" style={{ display: 'block' }}>{r.endsLabel}{r.ends(x.ends.code, x.ends.args)}</span>}
              </li>
            ))}</ul>
          </div>
        )}
      </div>
      <MyDailyReport w={w} onReported={load} />
      <MyAppeals w={w} />
      <div className="panel" data-testid="itinerary" data-colour={code.itinerary.colour}>
        <h2>{r.itinerary}</h2>
        <p className={`itinerary-${code.itinerary.colour}`}>{r.itineraryColours[code.itinerary.colour]}</p>
        <p>{r.itineraryNote(code.itinerary.lookBackDays)}</p>
        {code.itinerary.cities.length === 0 ? <p>{r.itineraryNone}</p> : (
          <p data-testid="cities">{code.itinerary.cities.map((c) => `${c.name}${c.asterisk ? '*' : ''}`).join(lang === 'en' ? ', ' : '，')}</p>
        )}
        {code.itinerary.cities.some((c) => c.asterisk) && <p className="small">{r.asteriskNote}</p>}
      </div>
      <div className="panel" data-testid="results">
        <h2>{r.results}</h2>
        {results.length === 0 ? <p>{r.resultsNone}</p> : (
          <table>
            <thead><tr><th>{r.sampledAt}</th><th>{r.result}</th></tr></thead>
            <tbody>
              {results.map((x) => (
                <tr key={x.sampleNo} data-result={x.result}><td>{when(x.sampledAt)} <small>{r.methodNames[x.method] ?? ''}</small></td><td className={`result-${x.result}`}>{r.resultNames[x.result] ?? x.result}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

/**
 * The resident's daily report while in quarantine or home monitoring: temperature (optional) and symptoms, once a
 * day or more; their last reports. Shown only to a resident under follow-up.
 */
function MyDailyReport({ w, onReported }: { w: Words; onReported: () => void }) {
  const t = w.followUp;
  const [mine, setMine] = useState<MyFollowUp>();
  const [temperature, setTemperature] = useState('');
  const [symptoms, setSymptoms] = useState<string[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [range, setRange] = useState<{ min: number; max: number }>();
  const load = useCallback(() => { fetchMyFollowUp().then(setMine).catch(() => undefined); }, []);
  useEffect(load, [load]);
  useEffect(() => { fetchTemperatureRange().then(setRange).catch(() => undefined); }, []);
  if (!mine?.under) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    const text = temperature.trim().replace('，', '.').replace('。', '.');
    const value = text === '' ? null : Number(text);
    if (value !== null && (!Number.isFinite(value) || (range && (value < range.min || value > range.max)))) { setError(range ? t.temperatureRange(range) : problem(w, null)); return; }
    setBusy(true);
    reportMyFollowUp({ temperatureC: value, symptoms: symptoms as MyFollowUp['reports'][number]['symptoms'] })
      .then(() => { setTemperature(''); setSymptoms([]); load(); onReported(); })
      .catch((x: unknown) => setError(x instanceof ApiError && x.code === 'NOT_IN_FOLLOW_UP' ? t.notInFollowUp : x instanceof ApiError && x.code === 'VALIDATION_FAILED' && range ? t.temperatureRange(range) : problem(w, x)))
      .finally(() => setBusy(false));
  };
  return (
    <form className="panel daily-report" data-testid="daily-report" onSubmit={submit}>
      <h2>{t.mine}</h2>
      <p>{t.mineNote(t.kinds[mine.kind ?? 'home_monitoring'] ?? '')}</p>
      {mine.reportedToday && <p className="note" data-testid="reported-today">{t.mineDone}</p>}
      <label>{t.temperature}<input name="temperature" inputMode="decimal" placeholder="36.5" value={temperature} onChange={(e) => setTemperature(e.target.value)} data-testid="my-temperature" /></label>
      <fieldset className="symptoms">
        <legend>{t.symptoms}</legend>
        {Object.entries(t.symptomNames).map(([x, name]) => (
          <label key={x} className="check"><input type="checkbox" checked={symptoms.includes(x)} onChange={(e) => setSymptoms(e.target.checked ? [...symptoms, x] : symptoms.filter((y) => y !== x))} />{name}</label>
        ))}
      </fieldset>
      {error && <p className="error" role="alert" data-testid="report-error">{error}</p>}
      <button type="submit" disabled={busy} data-testid="my-report-submit">{t.save}</button>
      {mine.reports.length > 0 && (
        <>
          <h3>{t.mineHistory}</h3>
          <ul className="my-reports" data-testid="my-reports">
            {mine.reports.map((x) => (
              <li key={x.id}>{when(x.at)} · {x.temperatureC === null ? '—' : `${x.temperatureC.toFixed(1)}℃`}{x.fever ? ` · ${t.fever}` : ''}{x.symptoms.length ? ` · ${x.symptoms.map((y) => t.symptomNames[y] ?? y).join('、')}` : ''}</li>
            ))}
          </ul>
        </>
      )}
    </form>
  );
}

/**
 * An appeal against my code: my words go to the investigators of my county as a task; while it is open the page says
 * by when they answer, and once closed, their answer. One open at a time.
 */
function MyAppeals({ w }: { w: Words }) {
  const r = w.resident;
  const [appeals, setAppeals] = useState<MyAppeal[]>();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => { fetchMyAppeals().then((x) => setAppeals(x.items)).catch(() => undefined); }, []);
  useEffect(load, [load]);
  if (!appeals) return null;
  const open = appeals.find((a) => a.status !== 'done' && a.status !== 'cancelled');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) { setError(r.appealEmpty); return; }
    setBusy(true);
    setError(undefined);
    appealMyCode(reason.trim())
      .then(() => { setReason(''); load(); })
      .catch((x: unknown) => setError(x instanceof ApiError && x.code === 'APPEAL_OPEN' ? r.appealOpen : problem(w, x)))
      .finally(() => setBusy(false));
  };
  return (
    <form className="panel appeal" data-testid="appeal" onSubmit={submit}>
      <h2>{r.appealTitle}</h2>
      {open ? <p className="note" data-testid="appeal-open">{r.appealPending(when(open.createdAt), when(open.dueAt))}</p> : (
        <>
          <p className="small">{r.appealNote}</p>
          <label>{r.appealReason}<textarea name="reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="appeal-reason" /></label>
          {error && <p className="error" role="alert" data-testid="appeal-error">{error}</p>}
          <button type="submit" disabled={busy} data-testid="appeal-submit">{r.appealSubmit}</button>
        </>
      )}
      {appeals.some((a) => a.answer !== null) && (
        <ul className="my-reports" data-testid="appeal-answers">
          {appeals.filter((a) => a.closedAt !== null).map((a) => <li key={a.id}>{when(a.closedAt)} · {a.answer ?? r.appealClosed}</li>)}
        </ul>
      )}
    </form>
  );
}
