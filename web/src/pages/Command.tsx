/**
 * The command dashboard (/command?region=CODE): the day's KPIs of a unit, its units below on a map (province to city
 * to county) and in a table, the epidemic curve by day of onset and of confirmation, tasks by level and the late
 * ones first, refreshed every 15 s; the instantaneous reproduction number R(t) of the chains the viewer may see (Cori
 * et al. 2013, with its 95 % credible interval); directives issued here (a form for those who may issue) and each directive's
 * completion level by level (/command/directives/:id).
 */
import { useCallback, useMemo } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Col, DatePicker, Form, Input, Progress, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import {
  ApiError, downloadChainsExport, fetchChains, fetchCityGeo, fetchCountyGeo, fetchDashboard, fetchDirective, fetchDirectives, issueDirective,
  type ChainsOut, type Dashboard, type DashboardChild, type Directive,
} from '../api.ts';
import { clock, deadlineLimits, problem, useApp, useOneAtATime } from '../context.ts';
import { CITY_EN } from '../i18n.ts';
import { RegionMap } from '../RegionMap.tsx';
import { reproductionDays } from '../reproductionDays.ts';
import { DayChart } from '../DayChart.tsx';

const DIRECTIVE_KINDS = ['mass_testing', 'door_to_door', 'venue_inspection', 'seal_and_manage', 'supplies', 'publicity', 'other'] as const;
const pct = (part: number, whole: number) => (whole === 0 ? '—' : `${Math.round((part / whole) * 1000) / 10}%`);

function EpiCurve({ data, labels }: { data: Dashboard['epiCurve']; labels: { onset: string; confirmed: string } }) {
  const chart = useMemo(() => ({
    days: data.map((d) => d.day),
    series: [
      { name: labels.onset, type: 'bar' as const, data: data.map((d) => d.onset), color: '#f59e0b' },
      { name: labels.confirmed, type: 'bar' as const, data: data.map((d) => d.confirmed), color: '#b91c1c' },
    ],
  }), [data, labels]);
  return <DayChart {...chart} testId="epi-curve" height={280} />;
}

/**
 * R(t) by the last day of each weekly window: the posterior mean, its 95 % credible interval, and R = 1; the windows
 * whose cases are still being reported (provisional) dashed, joined to the last final one; gaps between windows empty.
 */
function ReproductionCurve({ data, labels }: { data: ChainsOut['reproduction']; labels: { mean: string; provisional: string; interval: string } }) {
  const chart = useMemo(() => {
    const rows = reproductionDays(data.windows);
    return {
      days: rows.map((r) => r.day),
      series: [
        { name: labels.mean, type: 'line' as const, data: rows.map(({ w }) => (w && !w.provisional ? w.mean : null)), color: '#b91c1c' },
        ...(data.windows.some((w) => w.provisional) ? [{
          name: labels.provisional, type: 'line' as const, color: '#b91c1c', dashed: true,
          data: rows.map(({ w }, i) => (w && (w.provisional || rows[i + 1]?.w?.provisional) ? w.mean : null)),
          shown: rows.map(({ w }) => (w?.provisional ? w.mean : null)),
        }] : []),
      ],
      band: { name: labels.interval, lower: rows.map(({ w }) => w?.lower ?? null), upper: rows.map(({ w }) => w?.upper ?? null), color: '#f87171', faint: rows.map(({ w }) => !!w?.provisional) },
    };
  }, [data, labels]);
  return <DayChart {...chart} testId="r-curve" height={280} threshold={1} decimals />;
}

/** A card's title that wraps on a phone instead of being cut short (a chart's title names what it shows, and where). */
const WRAP_TITLE = { title: { whiteSpace: 'normal' as const } };

export function CommandDashboard() {
  const { w, lang, may, session } = useApp();
  const t = w.command;
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const region = params.get('region') ?? undefined;
  const board = useQuery({ queryKey: ['dashboard', region], queryFn: () => fetchDashboard(region), refetchInterval: 15_000 });
  const d = board.data;
  const level = d?.region.level;
  // A map of the units below: the cities under the province, the counties under a city; none further down.
  const mapped = level === 'province' || level === 'city';
  const geoQ = useQuery({
    queryKey: ['geo', level === 'city' ? d?.region.code : 'province'],
    queryFn: () => (level === 'city' ? fetchCountyGeo(d!.region.code) : fetchCityGeo()),
    enabled: mapped,
    staleTime: Infinity,
  });
  const geo = mapped ? geoQ.data : undefined;
  const nameOf = useCallback((c: { code: string; name: string }) => (lang === 'en' && (c.code === '43' ? 'Hunan' : CITY_EN[c.code])) || c.name, [lang]);
  const names = useMemo(() => Object.fromEntries((d?.children ?? []).map((c) => [c.code, nameOf(c)])), [d, nameOf]);
  const values = useMemo(() => Object.fromEntries((d?.children ?? []).map((c) => [c.code, c.cases])), [d]);
  const drill = useCallback((code: string) => navigate(`/command?region=${code}`), [navigate]);
  const labels = useMemo(() => ({ onset: t.onset, confirmed: t.confirmed }), [t]);
  const rLabels = useMemo(() => ({ mean: t.reproduction.mean, provisional: t.reproduction.provisional, interval: t.reproduction.interval }), [t]);
  // R(t) of the region in view: the residents' cases of the unit drilled down to, as the epidemic curve beside it.
  const chains = useQuery({ queryKey: ['chains', region], queryFn: () => fetchChains(region), enabled: may('chains:read'), refetchInterval: 60_000 });
  // The chains of the region in view leave the system as a file (audited): links as CSV, the graph with its events as GraphML.
  const chainsExport = useMutation({ mutationFn: (format: 'csv' | 'graphml' | 'json') => downloadChainsExport(region, format, lang === 'en' ? 'en' : 'zh') });

  if (board.isError) {
    const e = board.error;
    // A region that is no code, unknown, or outside the actor's: one message (the API's 400, 404 or 403).
    const bad = e instanceof ApiError && ['VALIDATION_FAILED', 'NOT_FOUND', 'OUT_OF_SCOPE'].includes(e.code);
    return <Alert type="error" showIcon title={bad ? t.badRegion : problem(w, e)} data-testid="dashboard-error" />;
  }
  if (!d) return <p>{w.loading}</p>;
  const k = d.kpis;
  const kpis: { key: string; label: string; value: number; suffix?: string; danger?: boolean }[] = [
    { key: 'newCases', label: t.kpis.newCases, value: k.newCases, danger: k.newCases > 0 },
    { key: 'knownContacts', label: t.kpis.knownContacts, value: k.newCasesAmongKnownContacts, suffix: `/ ${k.newCases}（${pct(k.newCasesAmongKnownContacts, k.newCases)}）` },
    { key: 'traced24h', label: t.kpis.traced24h, value: k.contactsTracedWithin24h, suffix: `/ ${k.contactsFound}（${pct(k.contactsTracedWithin24h, k.contactsFound)}）` },
    { key: 'transfers', label: t.kpis.transfers, value: k.transfersWithinDeadline, suffix: `/ ${k.transfersDone}（${pct(k.transfersWithinDeadline, k.transfersDone)}）` },
    { key: 'inQuarantine', label: t.kpis.inQuarantine, value: k.inQuarantine },
    { key: 'tests', label: t.kpis.tests, value: k.testsDone, suffix: `/ ${k.testsDue}` },
    { key: 'tasksDone', label: t.kpis.tasksDone, value: k.tasksDone, suffix: `/ ${k.tasksDone + k.tasksOpen}` },
    { key: 'tasksOverdue', label: t.kpis.tasksOverdue, value: k.tasksOverdue, danger: k.tasksOverdue > 0 },
  ];
  const crumbs = [
    // Units above one's own region are named, not linked (their dashboards are outside one's scope).
    ...d.path.map((p) => ({ title: p.code.startsWith(session?.user.region ?? '43') ? <Link to={`/command?region=${p.code}`} data-testid="crumb" data-code={p.code}>{nameOf(p)}</Link> : <span>{nameOf(p)}</span> })),
    { title: <span data-testid="dashboard-region" data-code={d.region.code}>{nameOf(d.region)}</span> },
  ];
  const open = (c: DashboardChild) => c.level !== 'grid';
  return (
    <div className="command" data-testid="command-dashboard">
      <div className="command-head">
        <Breadcrumb items={crumbs} />
        <Typography.Text type="secondary">{t.asOf(d.day, clock(d.asOf))}</Typography.Text>
      </div>
      <Row gutter={[12, 12]}>
        {kpis.map((x) => (
          <Col xs={12} md={6} key={x.key}>
            <Card size="small" data-testid={`kpi-${x.key}`} data-value={x.value}>
              <Statistic title={x.label} value={x.value} suffix={x.suffix ? <span className="kpi-suffix">{x.suffix}</span> : undefined} styles={{ content: x.danger ? { color: '#b91c1c' } : undefined }} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        {geo && (
          <Col xs={24} lg={12}>
            <Card size="small" title={t.mapTitle(nameOf(d.region))} styles={WRAP_TITLE}>
              <RegionMap mapName={`cordon-${d.region.code}`} geo={geo} values={values} names={names} seriesName={t.cases} onPick={drill} testId="command-map" />
            </Card>
          </Col>
        )}
        <Col xs={24} lg={geo ? 12 : 24}>
          <Card size="small" title={t.unitsBelow}>
            <Table<DashboardChild> size="small" rowKey="code" pagination={false} scroll={{ x: 'max-content' }} data-testid="children-table" dataSource={d.children}
              columns={[
                { title: t.unit, dataIndex: 'name', fixed: 'left', render: (_v, c) => (open(c) ? <Link to={`/command?region=${c.code}`} data-code={c.code}>{nameOf(c)}</Link> : nameOf(c)) },
                { title: t.cols.newCases, dataIndex: 'newCases', align: 'right' },
                { title: t.cols.cases, dataIndex: 'cases', align: 'right' },
                { title: t.cols.contacts, dataIndex: 'contacts', align: 'right' },
                { title: t.cols.inQuarantine, dataIndex: 'inQuarantine', align: 'right' },
                { title: t.cols.tasksOpen, dataIndex: 'tasksOpen', align: 'right' },
                { title: t.cols.tasksOverdue, dataIndex: 'tasksOverdue', align: 'right', render: (v: number) => (v > 0 ? <Tag color="red">{v}</Tag> : v) },
              ]} />
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t.epiCurve} styles={WRAP_TITLE}>{d.epiCurve.length === 0 ? <Typography.Text type="secondary">{t.noCases}</Typography.Text> : <EpiCurve data={d.epiCurve} labels={labels} />}</Card>
        </Col>
        {may('chains:read') && (
          <Col xs={24} lg={12}>
            <Card size="small" title={`${t.reproduction.title} · ${nameOf(d.region)}`} styles={WRAP_TITLE} data-testid="r-card" data-state={chains.data ? 'loaded' : chains.isError ? 'failed' : 'loading'}>
              {chains.isPending && <Typography.Text type="secondary">{w.loading}</Typography.Text>}
              {chains.isError && <Typography.Text type="danger">{t.reproduction.failed}</Typography.Text>}
              {chains.data && (
                <>
                  {chains.data.reproduction.windows.length === 0
                    ? <Typography.Text type="secondary">{t.reproduction.none}</Typography.Text>
                    : <ReproductionCurve data={chains.data.reproduction} labels={rLabels} />}
                  <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 12 }}>
                    {t.reproduction.note(chains.data.reproduction.windowDays, chains.data.reproduction.serialInterval.mean, chains.data.reproduction.serialInterval.sd)}
                    {chains.data.reproduction.windows.some((w) => w.provisional) && (
                      <span data-testid="r-provisional">{t.reproduction.provisionalNote(chains.data.reproduction.reportingDelayDays!)}</span>
                    )}
                  </Typography.Paragraph>
                  {may('chains:export') && (
                    <Space wrap size={[8, 4]} style={{ marginTop: 8 }} data-testid="chains-export">
                      <Typography.Text>{t.reproduction.exportLabel}</Typography.Text>
                      {(['csv', 'graphml', 'json'] as const).map((f) => (
                        <Button key={f} size="small" loading={chainsExport.isPending && chainsExport.variables === f} disabled={chainsExport.isPending}
                          onClick={() => chainsExport.mutate(f)} data-testid={`chains-export-${f}`}>{t.reproduction.formats[f]}</Button>
                      ))}
                      <Typography.Text type="secondary" className="small">{t.reproduction.exportAudited}</Typography.Text>
                    </Space>
                  )}
                  {(chainsExport.isSuccess || chainsExport.isError) && (
                    <Alert style={{ marginTop: 8 }} type={chainsExport.isError ? 'error' : 'success'} showIcon data-testid="chains-export-note"
                      title={chainsExport.isError ? problem(w, chainsExport.error) : t.reproduction.exported} />
                  )}
                </>
              )}
            </Card>
          </Col>
        )}
        <Col xs={24} lg={may('chains:read') ? 24 : 12}>
          <Card size="small" title={t.tasksByLevel}>
            <Table size="small" rowKey="level" pagination={false} scroll={{ x: 'max-content' }} data-testid="tasks-by-level" dataSource={d.tasksByLevel.filter((l) => l.total > 0)}
              columns={[
                { title: t.level, dataIndex: 'level', render: (v: string) => t.levels[v] ?? v },
                { title: t.cols.total, dataIndex: 'total', align: 'right' },
                { title: t.cols.done, dataIndex: 'done', align: 'right' },
                { title: t.cols.open, dataIndex: 'open', align: 'right' },
                { title: t.cols.overdue, dataIndex: 'overdue', align: 'right', render: (v: number) => (v > 0 ? <Tag color="red">{v}</Tag> : v) },
                { title: t.cols.escalated, dataIndex: 'escalated', align: 'right' },
                { title: t.cols.doneShare, key: 'share', render: (_v, l) => <Progress percent={l.total === 0 ? 0 : Math.round((l.done / l.total) * 100)} size="small" style={{ minWidth: 90 }} /> },
              ]} />
            <Typography.Title level={5} style={{ marginTop: 12 }}>{t.lateTasks}</Typography.Title>
            {k.tasksOverdue > d.lateTasks.length && <Typography.Text type="secondary" data-testid="late-shown">{t.lateShown(d.lateTasks.length, k.tasksOverdue)}</Typography.Text>}
            {d.lateTasks.length === 0 ? <Typography.Text type="secondary">{t.noLateTasks}</Typography.Text> : (
              <Table size="small" rowKey="id" pagination={false} scroll={{ x: 'max-content' }} data-testid="late-tasks" dataSource={d.lateTasks}
                columns={[
                  { title: t.kindLabel, dataIndex: 'kind', render: (v: string) => t.kinds[v] ?? v },
                  { title: t.unit, dataIndex: 'regionName', render: (v: string, r) => `${t.levels[r.level] ?? r.level} ${v}` },
                  { title: t.due, dataIndex: 'dueAt', render: (v: string) => clock(v) },
                  { title: t.status, dataIndex: 'status', render: (v: string, r) => <Tag color={v === 'escalated' ? 'volcano' : 'red'} data-testid="late-status">{t.statuses[v] ?? v}{r.escalatedTo ? ` → ${r.escalatedToName ?? r.escalatedTo}` : ''}</Tag> },
                ]} />
            )}
          </Card>
        </Col>
      </Row>
      {may('directives:read') && <Directives board={d} nameOf={nameOf} />}
    </div>
  );
}

function Directives({ board, nameOf }: { board: Dashboard; nameOf: (c: { code: string; name: string }) => string }) {
  const { w, may } = useApp();
  const t = w.command;
  const navigate = useNavigate();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['directives'], queryFn: fetchDirectives, refetchInterval: 30_000 });
  const [form] = Form.useForm<{ kind: Directive['kind']; text: string; units?: string[]; dueAt?: Dayjs }>();
  const issue = useMutation({
    mutationFn: (v: { kind: Directive['kind']; text: string; units?: string[]; dueAt?: Dayjs }) => issueDirective({
      kind: v.kind, text: v.text.trim(), regionCode: board.region.code, ...(v.units?.length ? { units: v.units } : {}), ...(v.dueAt ? { dueAt: v.dueAt.format('YYYY-MM-DD HH:mm') } : {}),
    }),
    onSuccess: (r) => { void client.invalidateQueries(); navigate(`/command/directives/${r.directive.id}`); },
  });
  // A refused deadline (past, the common mistake) is said at the field's meaning, not as a generic validation failure.
  const pastDue = issue.error instanceof ApiError && issue.error.code === 'VALIDATION_FAILED' && issue.error.fields.includes('dueAt');
  const failed = pastDue ? t.dueAtPast : issue.error ? problem(w, issue.error) : null;
  // One directive per submission, however often the button is clicked.
  const submit = useOneAtATime(issue.mutate);
  return (
    <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
      {may('directives:issue') && (
        <Col xs={24} lg={10}>
          <Card size="small" title={t.issueTitle(nameOf(board.region))}>
            <Form form={form} layout="vertical" data-testid="directive-form" onFinish={submit} initialValues={{ kind: 'mass_testing' }}>
              <Form.Item name="kind" label={t.kindLabel} rules={[{ required: true }]}>
                <Select data-testid="directive-kind" options={DIRECTIVE_KINDS.map((k) => ({ value: k, label: t.kinds[k] }))} />
              </Form.Item>
              <Form.Item name="text" label={t.directiveText} rules={[{ required: true, whitespace: true, message: t.textRequired }, { max: 500 }]}>
                <Input.TextArea rows={3} data-testid="directive-text" />
              </Form.Item>
              {board.children.length > 0 && (
                <Form.Item name="units" label={t.units} extra={t.unitsHelp}>
                  <Select mode="multiple" allowClear showSearch={{ optionFilterProp: ['label', 'value'] }} data-testid="directive-units" options={board.children.map((c) => ({ value: c.code, label: nameOf(c) }))} />
                </Form.Item>
              )}
              <Form.Item name="dueAt" label={t.dueAt} extra={t.dueAtHelp}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} {...deadlineLimits} data-testid="directive-due" />
              </Form.Item>
              {failed && <Alert type="error" showIcon title={failed} style={{ marginBottom: 12 }} data-testid="directive-error" />}
              <Button type="primary" htmlType="submit" loading={issue.isPending} data-testid="directive-submit">{t.issue}</Button>
            </Form>
          </Card>
        </Col>
      )}
      <Col xs={24} lg={may('directives:issue') ? 14 : 24}>
        <Card size="small" title={t.directives}>
          <Table<Directive> size="small" rowKey="id" pagination={false} scroll={{ x: 'max-content' }} data-testid="directive-list" dataSource={list.data?.items ?? []}
            columns={[
              { title: t.kindLabel, dataIndex: 'kind', render: (v: string) => t.kinds[v] ?? v },
              { title: t.directiveText, dataIndex: 'text', render: (v: string, r) => <div className="wrap-cell"><Link to={`/command/directives/${r.id}`}>{v}</Link>{r.cancelledAt && <Tag style={{ marginLeft: 6 }}>{t.statuses.cancelled}</Tag>}</div> },
              { title: t.level, dataIndex: 'level', render: (v: string) => t.levels[v] ?? v },
              { title: t.due, dataIndex: 'dueAt', render: (v: string) => clock(v) },
            ]} />
        </Card>
      </Col>
    </Row>
  );
}

export function DirectiveDetail() {
  const { w, lang } = useApp();
  const t = w.command;
  const { id } = useParams();
  const q = useQuery({ queryKey: ['directive', id], queryFn: () => fetchDirective(Number(id)), refetchInterval: 15_000 });
  if (q.isError) return <Alert type="error" showIcon title={q.error instanceof ApiError && q.error.status === 404 ? t.noSuchDirective : w.errorOther} />;
  if (!q.data) return <p>{w.loading}</p>;
  const { directive: dv, levels } = q.data;
  return (
    <div data-testid="directive-detail" data-id={dv.id}>
      <Breadcrumb items={[{ title: <Link to="/command">{t.dashboard}</Link> }, { title: t.directive }]} />
      <Card size="small" style={{ marginTop: 12 }} title={<span>{t.kinds[dv.kind] ?? dv.kind}</span>} extra={dv.cancelledAt ? <Tag data-testid="directive-cancelled">{t.statuses.cancelled} {clock(dv.cancelledAt)}</Tag> : undefined}>
        <Typography.Paragraph data-testid="directive-body">{dv.text}</Typography.Paragraph>
        <Typography.Text type="secondary">{t.issuedAt(clock(dv.issuedAt), `${t.levels[dv.level]} ${dv.regionCode === '43' && lang === 'en' ? 'Hunan' : dv.regionName}`, clock(dv.dueAt))}</Typography.Text>
      </Card>
      <Card size="small" style={{ marginTop: 12 }} title={t.byLevel}>
        <Table size="small" rowKey="level" pagination={false} scroll={{ x: 'max-content' }} data-testid="directive-levels" dataSource={levels}
          columns={[
            { title: t.level, dataIndex: 'level', render: (v: string) => <span data-level={v}>{t.levels[v] ?? v}</span> },
            { title: t.cols.total, dataIndex: 'total', align: 'right', render: (v: number, r) => <span data-testid={`level-total-${r.level}`}>{v}</span> },
            ...(['assigned', 'accepted', 'in_progress', 'done', 'escalated', 'cancelled'] as const).map((s) => ({ title: t.statuses[s], key: s, align: 'right' as const, render: (_v: unknown, r: (typeof levels)[number]) => r.counts[s] ?? 0 })),
            { title: t.cols.doneShare, dataIndex: 'doneShare', render: (v: number) => <Progress percent={Math.round(v * 100)} size="small" style={{ minWidth: 90 }} /> },
          ]} />
      </Card>
    </div>
  );
}
