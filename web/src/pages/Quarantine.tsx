/**
 * Quarantine (/quarantine): the centralized quarantine sites within reach with their occupancy; opening a site that
 * serves a unit of one's region (command centres); the persons held at a chosen site, each masked, with their room,
 * arrival, the end of their period and their next required test; what they owe today (tests due, taken or not;
 * periods ending); release once the edition's conditions hold (the
 * server says why not, in the page's language, when they do not); daily health monitoring (FollowUp.tsx); stranded
 * visitors lodged at hotels (Stranded.tsx).
 */
import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Cascader, Col, Form, Grid, Input, InputNumber, Modal, Row, Select, Table, Tag, Typography, type ButtonProps } from 'antd';
import { ApiError, assignArrival, changeSite, fetchArrivalRules, fetchDueAt, fetchHeldAt, fetchOccupancy, fetchPerson, fetchRiskAreas, fetchSites, openSite, releaseAssignment, type Assignment, type Site } from '../api.ts';
import type { OccupancyOut } from '../../../src/api/routes/quarantine/schema.ts';
import { clock, problem, useApp, useOneAtATime } from '../context.ts';
import { DayChart } from '../DayChart.tsx';
import { useUnits, type UnitOption } from './Supervision.tsx';
import { FollowUpCard } from './FollowUp.tsx';
import { StrandedCard } from './Stranded.tsx';

/** A person held, masked (name and ID number as the API masks them). */
/** A site's fortnight: persons there at each day's end (a line), arrivals and departures (bars). */
function OccupancyChart({ data, labels }: { data: OccupancyOut; labels: { occupants: string; arrivals: string; departures: string } }) {
  const chart = useMemo(() => ({
    days: data.days.map((d) => d.date),
    series: [
      { name: labels.arrivals, type: 'bar' as const, data: data.days.map((d) => d.arrivals), color: '#2563eb' },
      { name: labels.departures, type: 'bar' as const, data: data.days.map((d) => d.departures), color: '#16a34a' },
      { name: labels.occupants, type: 'line' as const, data: data.days.map((d) => d.occupants), color: '#b91c1c' },
    ],
  }), [data, labels]);
  return <DayChart {...chart} testId="occupancy-chart" height={240} />;
}

function Masked({ id }: { id: number }) {
  const p = useQuery({ queryKey: ['person', id], queryFn: () => fetchPerson(id), staleTime: 60_000 });
  return <span data-testid="held-person">{p.data ? `${p.data.name} · ${p.data.idMasked}` : '…'}</span>;
}

/** The first required test not yet due by now, as a line (none left: a dash). */
/** What a person is held as: a close or secondary contact, or an arrival from a risk area (red for high, orange for medium). */
function HeldAs({ a }: { a: Assignment }) {
  const { w } = useApp();
  if (!a.managedAs) return null;
  const colour = a.managedAs === 'arrival_from_high' ? 'red' : a.managedAs === 'arrival_from_medium' ? 'orange' : undefined;
  return <Tag color={colour} data-testid="held-as">{w.quarantine.heldAsKinds[a.managedAs]}</Tag>;
}

function nextTest(a: Assignment, w: ReturnType<typeof useApp>['w']): string {
  const now = new Date().toISOString();
  const next = a.tests.find((x) => new Date(x.dueBy).toISOString() > now);
  return next ? w.quarantine.testDay(next.day, clock(next.dueBy)) : w.quarantine.allTested;
}

export function QuarantinePage() {
  const { w, session, may } = useApp();
  const t = w.quarantine;
  const client = useQueryClient();
  const sites = useQuery({ queryKey: ['sites'], queryFn: fetchSites, refetchInterval: 30_000 });
  const [chosen, setChosen] = useState<Site | null>(null);
  // On a phone the sites' region and rooms give way to who is there and the free places.
  const narrow = !Grid.useBreakpoint().md;
  const [releasing, setReleasing] = useState<Assignment | null>(null);
  const [arriving, setArriving] = useState(false);
  const held = useQuery({ queryKey: ['held', chosen?.id], queryFn: () => fetchHeldAt(chosen!.id), enabled: chosen !== null, refetchInterval: 30_000 });
  const due = useQuery({ queryKey: ['due', chosen?.id], queryFn: () => fetchDueAt(chosen!.id), enabled: chosen !== null, refetchInterval: 30_000 });
  const chartLabels = useMemo(() => ({ occupants: t.occupants, arrivals: t.arrivalsDay, departures: t.departures }), [t]);
  const occupancy = useQuery({ queryKey: ['occupancy', chosen?.id], queryFn: () => fetchOccupancy(chosen!.id), enabled: chosen !== null, refetchInterval: 60_000 });
  const rooms = new Map((held.data?.items ?? []).map((a) => [a.id, a]));
  const units = useUnits(session?.user.region ?? '43');
  const [form] = Form.useForm<{ name: string; kind: Site['kind']; unit: string[]; rooms: number; personsPerRoom?: number; staff?: number }>();
  const create = useMutation({
    mutationFn: (v: { name: string; kind: Site['kind']; unit: string[]; rooms: number; personsPerRoom?: number; staff?: number }) =>
      openSite({ name: v.name.trim(), kind: v.kind, regionCode: v.unit[v.unit.length - 1], rooms: v.rooms, ...(v.personsPerRoom ? { personsPerRoom: v.personsPerRoom } : {}), ...(v.staff !== undefined ? { staff: v.staff } : {}) }),
    onSuccess: () => { form.resetFields(); void client.invalidateQueries({ queryKey: ['sites'] }); },
  });
  const submit = useOneAtATime(create.mutate);
  const toggle = useMutation({ mutationFn: (x: Site) => changeSite(x.id, { closed: x.closedAt === null }), onSuccess: () => { void client.invalidateQueries({ queryKey: ['sites'] }); } });
  // The chosen site's figures follow the list as it refreshes.
  const current = chosen ? sites.data?.items.find((x) => x.id === chosen.id) ?? chosen : null;
  return (
    <div data-testid="quarantine">
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={may('quarantine:sites') ? 15 : 24}>
          <Card size="small" title={t.sites} extra={<span>
            {may('quarantine:assign') && <Button size="small" type="primary" onClick={() => setArriving(true)} data-testid="arrival-open" style={{ marginRight: 8 }}>{t.arrival}</Button>}
            {sites.data && <Typography.Text type="secondary" data-testid="site-count">{sites.data.total}</Typography.Text>}
          </span>}>
            <Table<Site> size="small" rowKey="id" pagination={false} scroll={narrow ? undefined : { x: 'max-content' }} dataSource={sites.data?.items ?? []} loading={sites.isLoading} data-testid="sites"
              locale={{ emptyText: t.none }} rowClassName={(r) => (r.id === current?.id ? 'chosen' : '')}
              onRow={(r) => ({ onClick: () => setChosen(r), style: { cursor: 'pointer' }, 'data-testid': 'site', 'data-id': r.id } as React.HTMLAttributes<HTMLElement>)}
              columns={[
                { title: t.cols.name, dataIndex: 'name', render: (v: string, r) => <span>{v}<Typography.Text type="secondary" className="small"> {t.kinds[r.kind] ?? r.kind}</Typography.Text></span> },
                ...(narrow ? [] : [{ title: t.cols.region, dataIndex: 'regionName' }, { title: t.cols.rooms, dataIndex: 'rooms', align: 'right' as const }]),
                { title: t.cols.occupants, dataIndex: 'occupants', align: 'right', render: (v: number, r) => <span data-testid="site-occupants">{v}{r.visitors > 0 && <Typography.Text type="secondary" className="small"> {t.ofVisitors(r.visitors)}</Typography.Text>}</span> },
                { title: t.cols.free, dataIndex: 'bedsFree', align: 'right', render: (v: number, r) => (r.closedAt ? <Tag data-testid="site-closed">{t.closed}</Tag> : v) },
                ...(may('quarantine:sites') ? [{ title: '', key: 'act', render: (_v: unknown, r: Site) => r.regionCode.startsWith(session?.user.region ?? '43') && (
                  <Button size="small" data-testid="site-toggle" loading={toggle.isPending && toggle.variables?.id === r.id} onClick={(e) => { e.stopPropagation(); toggle.mutate(r); }}>{r.closedAt ? t.reopen : t.close}</Button>
                ) }] : []),
              ]} />
            {toggle.error && <Alert type="error" showIcon title={problem(w, toggle.error)} style={{ marginTop: 8 }} />}
          </Card>
        </Col>
        {may('quarantine:sites') && (
          <Col xs={24} lg={9}>
            <Card size="small" title={t.openTitle}>
              <Form form={form} layout="vertical" data-testid="site-form" onFinish={submit} initialValues={{ kind: 'designated_hotel', personsPerRoom: 1 }}>
                <Form.Item name="name" label={t.name} rules={[{ required: true, whitespace: true, message: t.nameRequired }, { max: 100 }]}>
                  <Input data-testid="site-name" />
                </Form.Item>
                <Form.Item name="kind" label={t.kind}>
                  <Select data-testid="site-kind" options={(['designated_hotel', 'dormitory', 'other'] as const).map((k) => ({ value: k, label: t.kinds[k] }))} />
                </Form.Item>
                <Form.Item name="unit" label={t.region} rules={[{ required: true, message: t.regionRequired }]}>
                  <Cascader options={units.options} loadData={(p) => units.load(p as UnitOption[])} changeOnSelect data-testid="site-region" />
                </Form.Item>
                <Row gutter={8}>
                  <Col span={8}><Form.Item name="rooms" label={t.rooms} rules={[{ required: true, message: t.roomsRequired }]}><InputNumber min={1} max={100000} precision={0} style={{ width: '100%' }} data-testid="site-rooms" /></Form.Item></Col>
                  <Col span={8}><Form.Item name="personsPerRoom" label={t.perRoom}><InputNumber min={1} max={20} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
                  <Col span={8}><Form.Item name="staff" label={t.staff}><InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
                </Row>
                {create.error && <Alert type="error" showIcon title={problem(w, create.error)} style={{ marginBottom: 12 }} data-testid="site-error" />}
                {create.isSuccess && <Alert type="success" showIcon title={t.opened(create.data.name)} style={{ marginBottom: 12 }} data-testid="site-opened" />}
                <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="site-submit">{t.submit}</Button>
              </Form>
            </Card>
          </Col>
        )}
      </Row>
      <Card size="small" style={{ marginTop: 12 }} title={current ? t.held(current.name) : t.pick} data-testid="held">
        {current && (
          <Table<Assignment> size="small" rowKey="id" pagination={false} scroll={narrow ? undefined : { x: 'max-content' }} dataSource={held.data?.items ?? []} loading={held.isLoading} locale={{ emptyText: t.noneHeld }}
            onRow={() => ({ 'data-testid': 'held-row' } as React.HTMLAttributes<HTMLElement>)}
            columns={[
              { title: t.room, dataIndex: 'room' },
              { title: t.person, dataIndex: 'personId', render: (v: number, r) => (narrow
                ? <div><Masked id={v} /> <HeldAs a={r} /><Typography.Text type="secondary" className="small" style={{ display: 'block' }}>{t.plannedEnd} {clock(r.plannedEnd)} · {t.nextTest} {nextTest(r, w)}</Typography.Text></div>
                : <Masked id={v} />) },
              ...(narrow ? [] : [
                { title: t.heldAs, key: 'as', render: (_v: unknown, r: Assignment) => <HeldAs a={r} /> },
                { title: t.started, dataIndex: 'startedAt', render: (v: string) => clock(v) },
                { title: t.plannedEnd, dataIndex: 'plannedEnd', render: (v: string) => clock(v) },
                { title: t.nextTest, key: 'next', render: (_v: unknown, r: Assignment) => nextTest(r, w) },
              ]),
              ...(may('quarantine:assign') ? [{ title: '', key: 'act', render: (_v: unknown, r: Assignment) => <Button size="small" onClick={() => setReleasing(r)} data-testid="release">{t.release}</Button> }] : []),
            ]} />
        )}
      </Card>
      {current && due.data && (
        <Card size="small" style={{ marginTop: 12 }} data-testid="due" title={t.today(due.data.date)}>
          <Typography.Paragraph data-testid="due-counts">{t.testsDue(due.data.tests.total, due.data.tests.taken)} · {t.releasesDue(due.data.releases.total)} · {t.arrivals(due.data.arrivals.total)}</Typography.Paragraph>
          <Row gutter={[12, 12]}>
            <Col xs={24} lg={14}>
              <Table size="small" rowKey={(r) => `${r.assignmentId}:${r.day}`} pagination={false} scroll={narrow ? undefined : { x: 'max-content' }} dataSource={due.data.tests.items} locale={{ emptyText: t.noneDue }}
                onRow={() => ({ 'data-testid': 'due-test' } as React.HTMLAttributes<HTMLElement>)}
                columns={[
                  { title: t.room, dataIndex: 'room' },
                  { title: t.person, dataIndex: 'personId', render: (v: number) => <Masked id={v} /> },
                  { title: t.day, dataIndex: 'day', render: (v: number, r) => t.testDay(v, clock(r.dueBy)) },
                  { title: '', dataIndex: 'taken', render: (v: boolean) => <Tag color={v ? 'green' : 'orange'}>{v ? t.taken : t.notTaken}</Tag> },
                ]} />
            </Col>
            <Col xs={24} lg={10}>
              <Table size="small" rowKey="assignmentId" pagination={false} scroll={narrow ? undefined : { x: 'max-content' }} dataSource={due.data.releases.items} locale={{ emptyText: t.noneDue }}
                columns={[
                  { title: t.room, dataIndex: 'room' },
                  { title: t.person, dataIndex: 'personId', render: (v: number) => <Masked id={v} /> },
                  { title: t.plannedEnd, dataIndex: 'plannedEnd', render: (v: string) => clock(v) },
                  ...(may('quarantine:assign') ? [{ title: '', key: 'act', render: (_v: unknown, r: { assignmentId: number }) => rooms.get(r.assignmentId)
                    && <Button size="small" onClick={() => setReleasing(rooms.get(r.assignmentId)!)}>{t.release}</Button> }] : []),
                ]} />
            </Col>
          </Row>
          {due.data.overdue.total > 0 && (
            <Table size="small" rowKey={(r) => `${r.assignmentId}:${r.day}`} pagination={false} scroll={narrow ? undefined : { x: 'max-content' }} dataSource={due.data.overdue.items} style={{ marginTop: 12 }}
              title={() => <Typography.Text type="danger" data-testid="overdue-count">{t.overdue(due.data.overdue.total)}</Typography.Text>}
              onRow={() => ({ 'data-testid': 'overdue' } as React.HTMLAttributes<HTMLElement>)}
              columns={[
                { title: t.room, dataIndex: 'room' },
                { title: t.person, dataIndex: 'personId', render: (v: number) => <Masked id={v} /> },
                { title: t.day, dataIndex: 'day', render: (v: number, r) => t.testDay(v, clock(r.dueBy)) },
                { title: '', key: 'tag', render: () => <Tag color="red">{t.overdueTag}</Tag> },
              ]} />
          )}
          {due.data.arrivals.total > 0 && (
            <Table size="small" rowKey="assignmentId" pagination={false} scroll={narrow ? undefined : { x: 'max-content' }} dataSource={due.data.arrivals.items} style={{ marginTop: 12 }} title={() => t.arrivals(due.data.arrivals.total)}
              onRow={() => ({ 'data-testid': 'arrival' } as React.HTMLAttributes<HTMLElement>)}
              columns={[
                { title: t.room, dataIndex: 'room' },
                { title: t.person, dataIndex: 'personId', render: (v: number) => <Masked id={v} /> },
                { title: t.arrived, dataIndex: 'startedAt', render: (v: string) => clock(v) },
              ]} />
          )}
        </Card>
      )}
      {current && occupancy.data && (
        <Card size="small" style={{ marginTop: 12 }} title={t.occupancy(current.name, occupancy.data.places)} data-testid="occupancy">
          <OccupancyChart data={occupancy.data} labels={chartLabels} />
        </Card>
      )}
      {may('follow-up:read') && <FollowUpCard siteId={current?.id} Person={Masked} />}
      {may('stranded:read') && <StrandedCard />}
      <ReleaseDialog assignment={releasing} onClose={() => setReleasing(null)} />
      <ArrivalDialog open={arriving} onClose={() => setArriving(false)} />
    </div>
  );
}

/**
 * An arrival from a risk area found by the ID number on their card and put in quarantine as the edition says: the area
 * they came from (a graded area now; left empty, their stays on record decide), and for centralized quarantine a site
 * and a room. What was arranged, or why not, is said in the page's language.
 */
function ArrivalDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { w, may } = useApp();
  const t = w.quarantine;
  const client = useQueryClient();
  const sites = useQuery({ queryKey: ['sites'], queryFn: fetchSites, enabled: open });
  const areas = useQuery({ queryKey: ['risk-areas'], queryFn: fetchRiskAreas, enabled: open && may('risk-areas:read') });
  const rules = useQuery({ queryKey: ['arrival-rules'], queryFn: fetchArrivalRules, enabled: open, staleTime: Infinity });
  type Values = { idNumber: string; fromRegionCode?: string; siteId?: number; room?: string; reason: string };
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (v: Values) => assignArrival({
      idNumber: v.idNumber.trim().toUpperCase(), reason: v.reason.trim(), ...(v.fromRegionCode ? { fromRegionCode: v.fromRegionCode } : {}),
      ...(v.siteId !== undefined ? { siteId: v.siteId } : {}), ...(v.room?.trim() ? { room: v.room.trim() } : {}),
    }),
    onSuccess: () => { void client.invalidateQueries(); form.resetFields(); },
  });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [open, reset]);
  const graded = (areas.data?.items ?? []).filter((a) => a.level === 'high' || a.level === 'medium');
  const kindOf = (level: string | undefined) => (level === 'high' ? rules.data?.arrivalsFromHigh : level === 'medium' ? rules.data?.arrivalsFromMedium : undefined);
  const said = (k: { kind: string; days: number } | undefined) => (k ? t.kindDays(w.followUp.kinds[k.kind] ?? k.kind, k.days) : '…');
  // A number the server finds wrong (its check digit, its birth date) is said as such, not as the site's rule.
  const refusal = (e: unknown) => (!(e instanceof ApiError) ? undefined : e.code === 'VALIDATION_FAILED' && e.fields.includes('idNumber') ? t.idWrong : t.arrivalRefusals[e.code]);
  return (
    <Modal open={open} title={t.arrivalTitle} okText={w.hospitals.save} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'arrival-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" data-testid="arrival-form">
        <Typography.Paragraph type="secondary" className="small" data-testid="arrival-hint">{t.arrivalHint(said(rules.data?.arrivalsFromHigh), said(rules.data?.arrivalsFromMedium))}</Typography.Paragraph>
        <Form.Item name="idNumber" label={t.idNumber} rules={[{ required: true, pattern: /^\s*\d{17}[\dXx]\s*$/, message: t.idRequired }]}><Input maxLength={20} data-testid="arrival-id" /></Form.Item>
        <Form.Item name="fromRegionCode" label={t.fromArea}>
          <Select allowClear placeholder={t.fromAreaPlaceholder} data-testid="arrival-area"
            options={graded.map((a) => ({ value: a.regionCode, label: `${a.name ?? a.regionCode}（${t.levels[a.level]}）` }))} />
        </Form.Item>
        {/* A site and a room only where the area's arrivals are held centralized (or the area is left to the records). */}
        <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.fromRegionCode !== b.fromRegionCode}>
          {({ getFieldValue }) => {
            const area = graded.find((a) => a.regionCode === getFieldValue('fromRegionCode'));
            if (area && kindOf(area.level)?.kind !== 'centralized') return null;
            return (
              <Row gutter={8}>
                <Col span={16}><Form.Item name="siteId" label={t.site}>
                  <Select allowClear data-testid="arrival-site" options={(sites.data?.items ?? []).filter((x) => x.closedAt === null).map((x) => ({ value: x.id, label: `${x.name}（${x.bedsFree}）` }))} />
                </Form.Item></Col>
                <Col span={8}><Form.Item name="room" label={t.room} rules={[{ max: 40 }]}><Input data-testid="arrival-room" /></Form.Item></Col>
              </Row>
            );
          }}
        </Form.Item>
        <Form.Item name="reason" label={t.reason} rules={[{ required: true, whitespace: true, message: t.reasonRequired }, { max: 500 }]}>
          <Input.TextArea rows={2} placeholder={t.reasonPlaceholder} data-testid="arrival-reason" />
        </Form.Item>
        {save.error && <Typography.Text type="danger" data-testid="arrival-error">{refusal(save.error) ?? problem(w, save.error)}</Typography.Text>}
        {save.isSuccess && <Alert type="success" showIcon data-testid="arrival-held"
          title={t.arrivalHeld(`${w.followUp.kinds[save.data.kind] ?? save.data.kind}${save.data.siteName ? `（${save.data.siteName} ${save.data.room ?? ''}）` : ''}`, clock(save.data.plannedEnd))} />}
      </Form>
    </Modal>
  );
}

function ReleaseDialog({ assignment, onClose }: { assignment: Assignment | null; onClose: () => void }) {
  const { w } = useApp();
  const t = w.quarantine;
  const client = useQueryClient();
  const [form] = Form.useForm<{ note: string }>();
  const save = useMutation({
    mutationFn: (v: { note: string }) => releaseAssignment(assignment!.id, v.note.trim()),
    onSuccess: () => { void client.invalidateQueries(); form.resetFields(); onClose(); },
  });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [assignment, reset]);
  /** Why the server refused the release, said precisely in the page's language (undefined: another error). */
  const refusal = (e: unknown): string | undefined => {
    if (!(e instanceof ApiError) || e.code !== 'RELEASE_CONDITIONS_NOT_MET') return undefined;
    const f = e.facts as { condition?: string; endsAt?: string; needed?: number; recorded?: number; distinctLabs?: boolean };
    if (f.condition === 'positive') return t.refusals.positive;
    if (f.condition === 'period' && f.endsAt) return t.refusals.period(clock(f.endsAt));
    if (f.condition === 'negatives' && f.needed !== undefined) return t.refusals.negatives(f.needed, f.recorded ?? 0, f.distinctLabs === true);
    return undefined;
  };
  return (
    <Modal open={assignment !== null} title={t.releaseTitle(assignment?.room ?? '')} okText={t.save} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'release-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" data-testid="release-form">
        <Form.Item name="note" label={t.note} rules={[{ required: true, whitespace: true, message: t.noteRequired }, { max: 500 }]}>
          <Input.TextArea rows={2} data-testid="release-note" placeholder={t.notePlaceholder} />
        </Form.Item>
        {save.error && <Typography.Text type="danger" data-testid="release-error">{refusal(save.error) ?? problem(w, save.error)}</Typography.Text>}
      </Form>
    </Modal>
  );
}
