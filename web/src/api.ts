/** Typed reads of the Cordon API used by the page. */
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

async function getJson<T>(url: string): Promise<T> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return (await r.json()) as T;
}

export const fetchOverview = () => getJson<Overview>('/api/overview');
export const fetchHealth = () => getJson<Health>('/api/health');
export const fetchCityGeo = () => getJson<object>('/api/geo/cities');

export type RiskLevel = 'low' | 'medium' | 'high';
export interface RiskArea { regionCode: string; name: string | null; level: RiskLevel; since: string; reviewAt: string | null; ruleSet: string; reason: string; reasonCode: string; reasonArgs: Record<string, number> }
export const fetchRiskAreas = () => getJson<{ ruleSet: string; items: RiskArea[] }>('/api/risk-areas');
