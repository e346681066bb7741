/** The situation overview: province totals, the 14 cities on a map of Hunan, and a table of the same figures. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { fetchCityGeo, fetchHealth, fetchOverview, fetchRiskAreas, type CityRow, type Health, type Overview, type RiskArea } from './api.ts';
import { CityMap } from './CityMap.tsx';
import { CITY_EN, WORDS, type Lang, type Words } from './i18n.ts';

const KPIS = ['persons', 'places', 'presence', 'cases', 'contacts', 'redCodes', 'yellowCodes', 'activeChains'] as const;
const RISK_COLOURS = ['#eef3ee', '#f5a623', '#d0342c'];
const RISK_RANK = { low: 0, medium: 1, high: 2 } as const;

function initialLang(): Lang {
  const saved = localStorage.getItem('cordon.lang');
  return saved === 'en' ? 'en' : 'zh-CN';
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [data, setData] = useState<{ overview: Overview; health: Health; geo: object; risk: { ruleSet: string; items: RiskArea[] } }>();
  const [error, setError] = useState<string>();
  const w: Words = WORDS[lang];

  useEffect(() => {
    Promise.all([fetchOverview(), fetchHealth(), fetchCityGeo(), fetchRiskAreas()])
      .then(([overview, health, geo, risk]) => setData({ overview, health, geo, risk }))
      .catch((e: Error) => setError(e.message));
  }, []);

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
    for (const a of data?.risk.items ?? []) out[a.regionCode.slice(0, 4)] = Math.max(out[a.regionCode.slice(0, 4)] ?? 0, RISK_RANK[a.level]);
    return out;
  }, [data]);
  const describeRisk = useCallback((v: number) => w.levels[(['low', 'medium', 'high'] as const)[v] ?? 'low'], [w]);

  return (
    <div className="page">
      <header>
        <div>
          <h1 data-testid="title">{w.title}</h1>
          <p>{w.subtitle}</p>
        </div>
        <button type="button" data-testid="lang-switch" onClick={() => setLang(lang === 'en' ? 'zh-CN' : 'en')}>{w.switchTo}</button>
      </header>
      {error && <p className="error" role="alert">{w.failed}{error}</p>}
      {!data && !error && <p>{w.loading}</p>}
      {data && (
        <>
          <section className="kpis">
            {KPIS.map((k) => (
              <div className={`kpi kpi-${k}`} key={k}>
                <div className="kpi-label">{w[k]}</div>
                <div className="kpi-value" data-testid={`kpi-${k}`} data-value={data.overview.totals[k]}>{fmt(data.overview.totals[k])}</div>
              </div>
            ))}
          </section>
          <section className="main">
            <div className="panel">
              <h2>{w.mapTitle}</h2>
              <CityMap geo={data.geo} cities={data.overview.cities} label={cityName} seriesName={w.cases} />
            </div>
            <div className="panel">
              <table data-testid="city-table">
                <thead>
                  <tr><th>{w.city}</th><th>{w.persons}</th><th>{w.places}</th><th>{w.cases}</th><th>{w.contacts}</th></tr>
                </thead>
                <tbody>
                  {data.overview.cities.map((c) => (
                    <tr key={c.code} data-code={c.code}>
                      <td>{cityName(c)}</td><td>{fmt(c.persons)}</td><td>{fmt(c.places)}</td><td>{fmt(c.cases)}</td><td>{fmt(c.contacts)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="main">
            <div className="panel">
              <h2>{w.riskMapTitle}</h2>
              <CityMap geo={data.geo} cities={data.overview.cities} label={cityName} seriesName={w.riskTitle} values={riskByCity} max={2} colors={RISK_COLOURS} describe={describeRisk} testId="risk-map" />
            </div>
            <div className="panel">
              <h2>{w.riskTitle} <small>({w.ruleSet}: {w.ruleSets[data.risk.ruleSet as keyof Words['ruleSets']] ?? data.risk.ruleSet})</small></h2>
              {data.risk.items.length === 0 ? <p data-testid="risk-empty">{w.riskNone}</p> : (
                <table data-testid="risk-table">
                  <thead><tr><th>{w.level}</th><th>{w.area}</th><th>{w.since}</th><th>{w.reason}</th></tr></thead>
                  <tbody>
                    {data.risk.items.map((a) => (
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
          <footer>
            {w.edition}: <span data-testid="edition" data-id={data.health.edition}>{w.editions[data.health.edition] ?? data.health.edition}</span> · {w.engine}: <span data-testid="engine">{data.health.engine}</span> ·{' '}
            <a href="/docs">{w.docs}</a> · {w.version} {data.health.version}
          </footer>
        </>
      )}
    </div>
  );
}
