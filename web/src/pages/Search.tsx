/**
 * Search, for staff: a person by ID number, phone, name or address (within the actor's scope, masked; every search is
 * in the audit log, with the purpose given here), a case by its number, places by name or code, a train or flight by
 * its number and date. What to search is chosen above the box; the answer is a short list.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, DatePicker, Grid, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { searchCases, searchPersons, searchPlaces, searchTrips, type CaseOut, type PersonSearchOut, type PlaceOut } from '../api.ts';
import { clock, problem, useApp } from '../context.ts';

type Kind = 'persons' | 'cases' | 'places' | 'trips';
type PersonRow = PersonSearchOut['items'][number];
/** What was asked: the kind, the text, and for trips the date (YYYY-MM-DD). */
interface Asked { kind: Kind; q: string; date?: string; purpose?: string }

const CODE_TAG: Record<string, string> = { green: 'green', yellow: 'gold', red: 'red' };

export function SearchPage() {
  const { w, may } = useApp();
  const t = w.search;
  const kinds = ([['persons', 'persons:search'], ['cases', 'cases:read'], ['places', 'places:read'], ['trips', 'places:read']] as const).filter(([, a]) => may(a)).map(([k]) => k);
  const [kind, setKind] = useState<Kind>(kinds[0] ?? 'places');
  const [text, setText] = useState('');
  const [date, setDate] = useState<Dayjs | null>(null);
  const [purpose, setPurpose] = useState('');
  const [asked, setAsked] = useState<Asked>();
  const [hint, setHint] = useState<string>();
  const narrow = !Grid.useBreakpoint().md;
  const answer = useQuery({
    // Each search is asked once (a person search is audited): not again on focus or when the purpose is edited.
    queryKey: ['search', asked],
    enabled: asked !== undefined,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    retry: false,
    queryFn: async (): Promise<{ persons?: PersonSearchOut; cases?: CaseOut[]; places?: PlaceOut[] }> => {
      const a = asked!;
      if (a.kind === 'persons') return { persons: await searchPersons(a.q, a.purpose) };
      if (a.kind === 'cases') return { cases: (await searchCases(a.q)).items };
      if (a.kind === 'places') return { places: (await searchPlaces(a.q)).items };
      return { places: (await searchTrips(a.q, a.date!)).items };
    },
  });
  const go = (value: string) => {
    const q = value.trim();
    setHint(undefined);
    if (q === '') return;
    if (kind === 'trips') {
      if (!/^[A-Za-z0-9]{2,12}$/.test(q)) { setHint(w.check.numberRequired); return; }
      if (!date) { setHint(t.dateRequired); return; }
      setAsked({ kind, q, date: date.format('YYYY-MM-DD') });
      return;
    }
    setAsked(kind === 'persons' ? { kind, q, purpose: purpose.trim() || t.purposeDefault } : { kind, q });
  };
  const persons = answer.data?.persons;
  const shown = asked?.kind;
  /** Where an investigator goes from a person: their code's colour now, and their cases' pages. */
  const nextSteps = (r: PersonRow) => (
    <Space size={4} wrap>
      {r.codeColour && <Tag color={CODE_TAG[r.codeColour]} data-testid="search-code">{w.lists.colours[r.codeColour]}</Tag>}
      {r.cases.map((c) => <Link key={c.id} to={`/cases/${c.id}`} data-testid="search-case" translate="no">{c.caseNo}</Link>)}
    </Space>
  );
  return (
    <section className="single" data-testid="search-page">
      <Card size="small" title={w.nav.search}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Segmented<Kind> value={kind} onChange={(k) => { setKind(k); setHint(undefined); }} options={kinds.map((k) => ({ value: k, label: t.kinds[k] }))} data-testid="search-kind" block={narrow} />
          <Space.Compact style={{ width: '100%' }} direction={narrow && kind === 'trips' ? 'vertical' : 'horizontal'}>
            {kind === 'trips' && <DatePicker value={date} onChange={setDate} placeholder={t.date} data-testid="search-date" style={narrow ? { width: '100%' } : undefined} />}
            <Input.Search value={text} onChange={(e) => setText(e.target.value)} onSearch={go} enterButton={t.go} allowClear maxLength={200}
              placeholder={t.placeholders[kind]} data-testid="search-input" loading={answer.isFetching} />
          </Space.Compact>
          {kind === 'persons' && (
            <Space wrap>
              <Typography.Text type="secondary">{t.purpose}</Typography.Text>
              <Input size="small" value={purpose} onChange={(e) => setPurpose(e.target.value)} placeholder={t.purposeDefault} maxLength={200} style={{ width: 200 }} data-testid="search-purpose" />
              <Typography.Text type="secondary" className="small">{t.audited}</Typography.Text>
            </Space>
          )}
          {hint && <Typography.Text type="danger" data-testid="search-hint">{hint}</Typography.Text>}
          {!asked && <Typography.Text type="secondary">{t.intro}</Typography.Text>}
        </Space>
      </Card>
      {answer.error && <Alert type="error" showIcon style={{ marginTop: 12 }} message={problem(w, answer.error)} />}
      {shown === 'persons' && persons && (
        <Card size="small" style={{ marginTop: 12 }} data-testid="search-results" data-kind="persons" data-q={asked?.q} data-count={persons.items.length}>
          {persons.idNumberProblem && <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t.idProblem} data-testid="search-id-problem" />}
          {persons.more && <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t.more} />}
          <Table<PersonRow> size="small" rowKey="id" pagination={false} dataSource={persons.items} locale={{ emptyText: t.none }}
            onRow={(r) => ({ 'data-testid': 'search-row', 'data-id': r.id } as React.HTMLAttributes<HTMLElement>)}
            columns={narrow ? [
              { title: t.cols.name, key: 'who', render: (_v, r) => <div>{r.name} · {r.idMasked}<Typography.Text type="secondary" className="small" style={{ display: 'block' }}>{r.phone ?? ''} · {r.communityName ?? r.communityCode}</Typography.Text><Tag>{t.matched[r.matched]}</Tag>{nextSteps(r)}</div> },
            ] : [
              { title: t.cols.name, dataIndex: 'name' }, { title: t.cols.idMasked, dataIndex: 'idMasked' }, { title: t.cols.phone, dataIndex: 'phone' },
              { title: t.cols.sex, dataIndex: 'sex', render: (v: string) => t.sexes[v] ?? v }, { title: t.cols.birth, dataIndex: 'birthDecade', render: (d: number) => t.decade(d) },
              { title: t.cols.community, key: 'community', render: (_v, r) => <span title={r.communityCode}>{r.communityName ?? r.communityCode}</span> }, { title: t.cols.matched, dataIndex: 'matched', render: (m: string) => <Tag>{t.matched[m]}</Tag> },
              { title: t.cols.codeAndCases, key: 'next', render: (_v, r) => nextSteps(r) },
            ]} />
        </Card>
      )}
      {shown === 'cases' && answer.data?.cases && (
        <Card size="small" style={{ marginTop: 12 }} data-testid="search-results" data-kind="cases" data-q={asked?.q} data-count={answer.data.cases.length}>
          <Table<CaseOut> size="small" rowKey="id" pagination={false} dataSource={answer.data.cases} locale={{ emptyText: t.none }}
            onRow={(r) => ({ 'data-testid': 'search-row', 'data-id': r.id } as React.HTMLAttributes<HTMLElement>)}
            columns={[
              { title: t.cols.caseNo, dataIndex: 'caseNo', render: (no: string, r: CaseOut) => <Link to={`/cases/${r.id}`} data-testid="open-case">{no}</Link> }, { title: t.cols.kind, dataIndex: 'kind', render: (k: string) => t.caseKinds[k] ?? k },
              { title: t.cols.confirmedAt, dataIndex: 'confirmedAt', render: (v: string) => clock(v) },
              ...(narrow ? [] : [{ title: t.cols.outcome, dataIndex: 'outcome', render: (o: string) => t.outcomes[o] ?? o }]),
            ]} />
        </Card>
      )}
      {(shown === 'places' || shown === 'trips') && answer.data?.places && (
        <Card size="small" style={{ marginTop: 12 }} data-testid="search-results" data-kind={shown} data-q={asked?.q} data-count={answer.data.places.length}>
          <Table<PlaceOut> size="small" rowKey="id" pagination={false} dataSource={answer.data.places} locale={{ emptyText: t.none }}
            onRow={(r) => ({ 'data-testid': 'search-row', 'data-id': r.id, 'data-code': r.code } as React.HTMLAttributes<HTMLElement>)}
            columns={[
              { title: t.cols.place, dataIndex: 'name' }, { title: t.cols.category, dataIndex: 'category', render: (c: string) => t.categories[c] ?? c },
              ...(narrow ? [] : [{ title: t.cols.code, dataIndex: 'code', render: (c: string) => <span translate="no">{c}</span> }, { title: t.cols.region, dataIndex: 'regionCode' }]),
            ]} />
        </Card>
      )}
    </section>
  );
}
