/**
 * Designated hospitals (/hospitals): the hospitals within reach with their beds, cases in hospital, severe and
 * critical cases and TCM participation rate, and the province's rate; designating a hospital (command centres); the
 * cases of a chosen hospital (in hospital, in management after discharge, all), each with its severity; admitting a
 * case by its number, recording a change of severity, a treatment (TCM flagged) and a discharge (hospital staff); the
 * expert teams dispatched, and dispatching one with its members (command centres).
 */
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Cascader, Checkbox, Col, Form, Grid, Input, InputNumber, Modal, Row, Segmented, Select, Space, Table, Tag, Typography, type ButtonProps } from 'antd';
import {
  admitToHospital, ApiError, designateHospital, dischargeAdmission, dispatchExpertTeam, fetchAdmissions, fetchExpertTeams, fetchHospitals, fetchPerson, fetchTcm, recordSeverity, recordTreatment,
  type AdmissionDetail, type AdmissionOut, type HospitalOut,
} from '../api.ts';
import { clock, problem, useApp, useOneAtATime } from '../context.ts';
import type { Words } from '../i18n.ts';
import { useUnits, type UnitOption } from './Supervision.tsx';

const SEVERITY_COLOURS: Record<string, string> = { none: 'default', mild: 'green', moderate: 'blue', severe: 'orange', critical: 'red' };
/** A choice of each kind the words name (severities, treatments): the list is the words' keys, written once. */
const choices = (names: Record<string, string>) => Object.entries(names).map(([value, label]) => ({ value, label }));
const percent = (rate: number | null, w: Words) => (rate === null ? w.hospitals.noRate : `${(rate * 100).toFixed(1)}%`);

function Patient({ id }: { id: number }) {
  const p = useQuery({ queryKey: ['person', id], queryFn: () => fetchPerson(id), staleTime: 60_000 });
  return <span>{p.data ? `${p.data.name} · ${p.data.idMasked}` : '…'}</span>;
}

/** A refusal said in the page's language (undefined: another error). */
const refusal = (w: Words, e: unknown) => (e instanceof ApiError ? w.hospitals.refusals[e.code] : undefined);

export function HospitalsPage() {
  const { w, session, may } = useApp();
  const t = w.hospitals;
  const client = useQueryClient();
  const hospitals = useQuery({ queryKey: ['hospitals'], queryFn: fetchHospitals, refetchInterval: 30_000 });
  const tcm = useQuery({ queryKey: ['tcm'], queryFn: fetchTcm, refetchInterval: 30_000 });
  const teams = useQuery({ queryKey: ['expert-teams'], queryFn: fetchExpertTeams });
  const [chosen, setChosen] = useState<number | null>(null);
  const [state, setState] = useState<'in_hospital' | 'follow_up' | 'all'>('in_hospital');
  const admissions = useQuery({ queryKey: ['admissions', chosen, state], queryFn: () => fetchAdmissions(chosen!, state), enabled: chosen !== null, refetchInterval: 30_000 });
  const [acting, setActing] = useState<{ kind: 'severity' | 'treat' | 'discharge'; admission: AdmissionOut } | null>(null);
  const [admitting, setAdmitting] = useState(false);
  const [dispatching, setDispatching] = useState(false);
  const narrow = !Grid.useBreakpoint().md;
  const outcomeText = (r: AdmissionOut) => `${t.outcomes[r.outcome!]}${r.followUpUntil ? ` · ${t.followUpUntil} ${clock(r.followUpUntil)}` : ''}`;
  const units = useUnits(session?.user.region ?? '43');
  const rates = new Map((tcm.data?.byHospital ?? []).map((h) => [h.hospitalId, h.rate]));
  const current = hospitals.data?.items.find((h) => h.id === chosen) ?? null;
  const [form] = Form.useForm<{ name: string; kind: HospitalOut['kind']; unit: string[]; beds: number; icuBeds?: number }>();
  const create = useMutation({
    mutationFn: (v: { name: string; kind: HospitalOut['kind']; unit: string[]; beds: number; icuBeds?: number }) =>
      designateHospital({ name: v.name.trim(), kind: v.kind, regionCode: v.unit[v.unit.length - 1], beds: v.beds, ...(v.icuBeds !== undefined ? { icuBeds: v.icuBeds } : {}) }),
    onSuccess: () => { form.resetFields(); void client.invalidateQueries({ queryKey: ['hospitals'] }); void client.invalidateQueries({ queryKey: ['tcm'] }); },
  });
  const submit = useOneAtATime(create.mutate);
  return (
    <div data-testid="hospitals">
      <Row gutter={[12, 12]}>
        <Col xs={24} lg={may('hospitals:manage') ? 15 : 24}>
          <Card size="small" title={t.title} extra={hospitals.data && <Typography.Text type="secondary" data-testid="hospital-count">{hospitals.data.total}</Typography.Text>}>
            {tcm.data && <Typography.Paragraph data-testid="tcm-province">{t.tcmProvince(percent(tcm.data.province.rate, w), tcm.data.province.withTcm, tcm.data.province.admitted)}</Typography.Paragraph>}
            <Table<HospitalOut> size="small" rowKey="id" pagination={false} scroll={narrow ? undefined : { x: 'max-content' }} dataSource={hospitals.data?.items ?? []} loading={hospitals.isLoading}
              locale={{ emptyText: t.none }} rowClassName={(r) => (r.id === chosen ? 'chosen' : '')}
              onRow={(r) => ({ onClick: () => setChosen(r.id), style: { cursor: 'pointer' }, 'data-testid': 'hospital', 'data-id': r.id } as React.HTMLAttributes<HTMLElement>)}
              columns={narrow ? [
                // A phone: the hospital with its region and beds under it; the counts beside.
                { title: t.cols.name, dataIndex: 'name', render: (v: string, r) => (
                  <div>{v}<Typography.Text type="secondary" className="small" style={{ display: 'block' }}>{t.kinds[r.kind]} · {r.regionName} · {t.cols.beds} {r.beds} · {t.cols.free} {r.bedsFree}</Typography.Text></div>
                ) },
                { title: `${t.cols.inHospital} / ${t.cols.severe}`, key: 'counts', align: 'right', render: (_v, r) => `${r.inHospital} / ${r.severeOrCritical}` },
                { title: t.cols.tcm, key: 'tcm', align: 'right', render: (_v, r) => <span data-testid="hospital-tcm">{percent(rates.get(r.id) ?? null, w)}</span> },
              ] : [
                { title: t.cols.name, dataIndex: 'name', render: (v: string, r) => <span>{v}<Typography.Text type="secondary" className="small"> {t.kinds[r.kind]}</Typography.Text></span> },
                { title: t.cols.region, dataIndex: 'regionName' },
                { title: t.cols.beds, dataIndex: 'beds', align: 'right' },
                { title: t.cols.inHospital, dataIndex: 'inHospital', align: 'right' },
                { title: t.cols.severe, dataIndex: 'severeOrCritical', align: 'right' },
                { title: t.cols.free, dataIndex: 'bedsFree', align: 'right' },
                { title: t.cols.tcm, key: 'tcm', align: 'right', render: (_v, r) => <span data-testid="hospital-tcm">{percent(rates.get(r.id) ?? null, w)}</span> },
              ]} />
          </Card>
        </Col>
        {may('hospitals:manage') && (
          <Col xs={24} lg={9}>
            <Card size="small" title={t.designate}>
              <Form form={form} layout="vertical" data-testid="hospital-form" onFinish={submit} initialValues={{ kind: 'designated' }}>
                <Form.Item name="name" label={t.name} rules={[{ required: true, whitespace: true, message: t.nameRequired }, { max: 100 }]}><Input data-testid="hospital-name" /></Form.Item>
                <Form.Item name="kind" label={t.kind}><Select options={(['designated', 'shelter'] as const).map((k) => ({ value: k, label: t.kinds[k] }))} /></Form.Item>
                <Form.Item name="unit" label={t.region} rules={[{ required: true, message: t.regionRequired }]}>
                  <Cascader options={units.options} loadData={(p) => units.load(p as UnitOption[])} changeOnSelect data-testid="hospital-region" />
                </Form.Item>
                <Row gutter={8}>
                  <Col span={12}><Form.Item name="beds" label={t.beds} rules={[{ required: true, message: t.bedsRequired }]}><InputNumber min={1} max={100000} precision={0} style={{ width: '100%' }} data-testid="hospital-beds" /></Form.Item></Col>
                  <Col span={12}><Form.Item name="icuBeds" label={t.icuBeds}><InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} /></Form.Item></Col>
                </Row>
                {create.error && <Alert type="error" showIcon title={problem(w, create.error)} style={{ marginBottom: 12 }} />}
                {create.isSuccess && <Alert type="success" showIcon title={t.designated(create.data.name)} style={{ marginBottom: 12 }} data-testid="hospital-designated" />}
                <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="hospital-submit">{t.submit}</Button>
              </Form>
            </Card>
          </Col>
        )}
      </Row>
      <Card size="small" style={{ marginTop: 12 }} title={current ? t.admissions(current.name) : t.pick} data-testid="admissions"
        extra={current && may('hospitals:treat') && <Button size="small" type="primary" onClick={() => setAdmitting(true)} data-testid="admit">{t.admit}</Button>}>
        {current && (
          <>
            <Segmented<'in_hospital' | 'follow_up' | 'all'> value={state} onChange={setState} style={{ marginBottom: 8 }} data-testid="admission-state"
              options={(['in_hospital', 'follow_up', 'all'] as const).map((k) => ({ value: k, label: t.states[k] }))} />
            <Table<AdmissionOut> size="small" rowKey="id" pagination={false} scroll={narrow ? undefined : { x: 'max-content' }} dataSource={admissions.data?.items ?? []} loading={admissions.isLoading}
              locale={{ emptyText: t.noAdmissions }} onRow={(r) => ({ 'data-testid': 'admission', 'data-case': r.caseNo } as React.HTMLAttributes<HTMLElement>)}
              columns={[
                ...(narrow ? [
                  // A phone: the case with its patient, admission and outcome under it, its severity beside.
                  { title: t.caseNo, key: 'case', render: (_v: unknown, r: AdmissionOut) => (
                    <div>{r.caseNo} <Tag color={SEVERITY_COLOURS[r.severity]} data-testid="severity">{t.severities[r.severity]}</Tag>{r.tcm && <Tag color="green">{t.tcm}</Tag>}
                      <Typography.Text type="secondary" className="small" style={{ display: 'block' }}>
                        <Patient id={r.personId} /><br />{t.admittedAt} {clock(r.admittedAt)}{r.outcome ? ` · ${outcomeText(r)}` : ''}
                      </Typography.Text></div>
                  ) },
                ] : [
                  { title: t.caseNo, dataIndex: 'caseNo' },
                  { title: t.person, dataIndex: 'personId', render: (v: number) => <Patient id={v} /> },
                  { title: t.admittedAt, dataIndex: 'admittedAt', render: (v: string) => clock(v) },
                  { title: t.severity, dataIndex: 'severity', render: (v: string) => <Tag color={SEVERITY_COLOURS[v]} data-testid="severity">{t.severities[v]}</Tag> },
                  { title: t.tcm, dataIndex: 'tcm', render: (v: boolean) => (v ? <Tag color="green">{t.tcm}</Tag> : '') },
                  { title: t.outcome, key: 'outcome', render: (_v: unknown, r: AdmissionOut) => (r.outcome ? outcomeText(r) : '') },
                ]),
                ...(may('hospitals:treat') ? [{ title: '', key: 'act', render: (_v: unknown, r: AdmissionOut) => r.dischargedAt === null && (
                  <Space size={4} direction={narrow ? 'vertical' : 'horizontal'}>
                    <Button size="small" onClick={() => setActing({ kind: 'severity', admission: r })} data-testid="act-severity">{t.changeSeverity}</Button>
                    <Button size="small" onClick={() => setActing({ kind: 'treat', admission: r })} data-testid="act-treat">{t.treat}</Button>
                    <Button size="small" onClick={() => setActing({ kind: 'discharge', admission: r })} data-testid="act-discharge">{t.discharge}</Button>
                  </Space>
                ) }] : []),
              ]} />
          </>
        )}
      </Card>
      <Card size="small" style={{ marginTop: 12 }} title={t.teams} data-testid="teams"
        extra={may('hospitals:manage') && (hospitals.data?.total ?? 0) > 0 && <Button size="small" type="primary" onClick={() => setDispatching(true)} data-testid="dispatch">{t.dispatch}</Button>}>
        <Table size="small" rowKey="id" pagination={false} scroll={narrow ? undefined : { x: 'max-content' }} dataSource={teams.data?.items ?? []} locale={{ emptyText: t.noTeams }}
          columns={narrow ? [
            // A phone: one column, the team with its specialty, hospital, members and date under it.
            { title: t.teamCols.name, key: 'team', render: (_v, r) => (
              <div>{r.name} · {r.specialty}<Typography.Text type="secondary" className="small" style={{ display: 'block' }}>
                {r.hospitalName} · {clock(r.fromAt)}<br />{r.members.map((x) => `${x.name}（${x.title}）`).join('、')}
              </Typography.Text></div>
            ) },
          ] : [
            { title: t.teamCols.name, dataIndex: 'name' },
            { title: t.teamCols.specialty, dataIndex: 'specialty' },
            { title: t.teamCols.hospital, dataIndex: 'hospitalName' },
            { title: t.teamCols.members, dataIndex: 'members', render: (m: { name: string; title: string }[]) => m.map((x) => `${x.name}（${x.title}）`).join('、') },
            { title: t.teamCols.from, dataIndex: 'fromAt', render: (v: string) => clock(v) },
          ]} />
      </Card>
      {current && <AdmitDialog open={admitting} hospitalId={current.id} onClose={() => setAdmitting(false)} />}
      <TeamDialog open={dispatching} hospitals={hospitals.data?.items ?? []} onClose={() => setDispatching(false)} />
      <ActDialog acting={acting} onClose={() => setActing(null)} />
    </div>
  );
}

type Member = { name: string; title: string; institution: string };
type TeamValues = { name: string; specialty: string; hospitalId: number; members: Member[] };

/** Dispatching an expert team to a hospital from now: its name, specialty and members (at least one). */
function TeamDialog({ open, hospitals, onClose }: { open: boolean; hospitals: HospitalOut[]; onClose: () => void }) {
  const { w } = useApp();
  const t = w.hospitals;
  const client = useQueryClient();
  const [form] = Form.useForm<TeamValues>();
  const save = useMutation({
    mutationFn: (v: TeamValues) => dispatchExpertTeam({
      name: v.name.trim(), specialty: v.specialty.trim(), hospitalId: v.hospitalId,
      members: v.members.map((m) => ({ name: m.name.trim(), title: m.title.trim(), institution: m.institution.trim() })),
    }),
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['expert-teams'] }); form.resetFields(); onClose(); },
  });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [open, reset]);
  const need = (message: string, max: number) => [{ required: true, whitespace: true, message }, { max }];
  return (
    <Modal open={open} title={t.dispatchTitle} okText={t.save} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending} width={640}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'team-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" data-testid="team-form" initialValues={{ members: [{ name: '', title: '', institution: '' }] }}>
        <Row gutter={8}>
          <Col xs={24} sm={12}><Form.Item name="name" label={t.teamName} rules={need(t.teamNameRequired, 100)}><Input data-testid="team-name" /></Form.Item></Col>
          <Col xs={24} sm={12}><Form.Item name="specialty" label={t.specialty} rules={need(t.specialtyRequired, 100)}><Input data-testid="team-specialty" /></Form.Item></Col>
        </Row>
        <Form.Item name="hospitalId" label={t.hospital} rules={[{ required: true, message: t.hospitalRequired }]}>
          <Select data-testid="team-hospital" options={hospitals.map((h) => ({ value: h.id, label: h.name }))} />
        </Form.Item>
        <Typography.Text strong>{t.members}</Typography.Text>
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Row gutter={8} key={f.key} align="top" data-testid="team-member">
                  <Col xs={24} sm={6}><Form.Item name={[f.name, 'name']} rules={need(t.memberRequired, 50)}><Input placeholder={t.memberName} data-testid="member-name" /></Form.Item></Col>
                  <Col xs={12} sm={6}><Form.Item name={[f.name, 'title']} rules={need(t.memberRequired, 50)}><Input placeholder={t.memberTitle} data-testid="member-title" /></Form.Item></Col>
                  <Col xs={12} sm={9}><Form.Item name={[f.name, 'institution']} rules={need(t.memberRequired, 100)}><Input placeholder={t.memberInstitution} data-testid="member-institution" /></Form.Item></Col>
                  <Col xs={24} sm={3}>{fields.length > 1 && <Button size="small" type="link" onClick={() => remove(f.name)}>{t.removeMember}</Button>}</Col>
                </Row>
              ))}
              {fields.length < 100 && <Button size="small" onClick={() => add({ name: '', title: '', institution: '' })} data-testid="add-member">{t.addMember}</Button>}
            </>
          )}
        </Form.List>
        {save.error && <Typography.Paragraph type="danger" style={{ marginTop: 8 }} data-testid="team-error">{refusal(w, save.error) ?? problem(w, save.error)}</Typography.Paragraph>}
      </Form>
    </Modal>
  );
}

function AdmitDialog({ open, hospitalId, onClose }: { open: boolean; hospitalId: number; onClose: () => void }) {
  const { w } = useApp();
  const t = w.hospitals;
  const client = useQueryClient();
  const [form] = Form.useForm<{ caseNo: string; severity: AdmissionOut['severity']; note?: string }>();
  const save = useMutation({
    mutationFn: (v: { caseNo: string; severity: AdmissionOut['severity']; note?: string }) => admitToHospital({ caseNo: v.caseNo.trim(), hospitalId, severity: v.severity, ...(v.note?.trim() ? { note: v.note.trim() } : {}) }),
    onSuccess: () => { void client.invalidateQueries(); form.resetFields(); onClose(); },
  });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [open, reset]);
  return (
    <Modal open={open} title={t.admitTitle} okText={t.save} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'admit-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" data-testid="admit-form">
        <Form.Item name="caseNo" label={t.caseNo} rules={[{ required: true, whitespace: true, message: t.caseNoRequired }, { max: 40 }]}><Input data-testid="admit-case" /></Form.Item>
        <Form.Item name="severity" label={t.severity} rules={[{ required: true, message: t.severityRequired }]}>
          <Select data-testid="admit-severity" options={choices(t.severities)} />
        </Form.Item>
        <Form.Item name="note" label={t.note} rules={[{ max: 500 }]}><Input.TextArea rows={2} /></Form.Item>
        {save.error && <Typography.Text type="danger" data-testid="admit-error">{refusal(w, save.error) ?? problem(w, save.error)}</Typography.Text>}
      </Form>
    </Modal>
  );
}

function ActDialog({ acting, onClose }: { acting: { kind: 'severity' | 'treat' | 'discharge'; admission: AdmissionOut } | null; onClose: () => void }) {
  const { w } = useApp();
  const t = w.hospitals;
  const client = useQueryClient();
  type Values = { severity?: AdmissionOut['severity']; kind?: AdmissionDetail['treatments'][number]['kind']; tcm?: boolean; outcome?: 'discharged' | 'died' | 'transferred_out'; note?: string };
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (v: Values) => {
      const id = acting!.admission.id;
      const note = v.note?.trim() ? { note: v.note.trim() } : {};
      if (acting!.kind === 'severity') return recordSeverity(id, { severity: v.severity!, ...note });
      if (acting!.kind === 'treat') return recordTreatment(id, { kind: v.kind!, ...(v.kind === 'other' && v.tcm ? { tcm: true } : {}), ...note });
      return dischargeAdmission(id, { outcome: v.outcome!, note: v.note!.trim() });
    },
    onSuccess: () => { void client.invalidateQueries(); form.resetFields(); onClose(); },
  });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [acting, reset]);
  const kind = acting?.kind;
  const title = kind === 'severity' ? t.changeSeverity : kind === 'treat' ? t.treat : t.discharge;
  return (
    <Modal open={acting !== null} title={`${title} · ${acting?.admission.caseNo ?? ''}`} okText={t.save} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'act-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" data-testid="act-form" initialValues={{ severity: acting?.admission.severity, outcome: 'discharged' }}>
        {kind === 'severity' && (
          <Form.Item name="severity" label={t.severity} rules={[{ required: true, message: t.severityRequired }]}>
            <Select data-testid="act-severity-value" options={choices(t.severities)} />
          </Form.Item>
        )}
        {kind === 'treat' && (
          <>
            <Form.Item name="kind" label={t.treatment} rules={[{ required: true, message: t.treatment }]}>
              <Select data-testid="act-treatment" options={choices(t.treatments)} />
            </Form.Item>
            {/* The TCM flag is for a treatment of another kind: a TCM kind always counts, a named Western one never does. */}
            <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.kind !== b.kind}>
              {({ getFieldValue }) => getFieldValue('kind') === 'other' && <Form.Item name="tcm" valuePropName="checked"><Checkbox>{t.tcmFlag}</Checkbox></Form.Item>}
            </Form.Item>
          </>
        )}
        {kind === 'discharge' && (
          <Form.Item name="outcome" label={t.outcome} rules={[{ required: true }]}>
            <Select data-testid="act-outcome" options={(['discharged', 'died', 'transferred_out'] as const).map((k) => ({ value: k, label: t.outcomes[k] }))} />
          </Form.Item>
        )}
        <Form.Item name="note" label={t.note} rules={kind === 'discharge' ? [{ required: true, whitespace: true, message: t.noteRequired }, { max: 500 }] : [{ max: 500 }]}>
          <Input.TextArea rows={2} data-testid="act-note" />
        </Form.Item>
        {save.error && <Typography.Text type="danger" data-testid="act-error">{refusal(w, save.error) ?? problem(w, save.error)}</Typography.Text>}
      </Form>
    </Modal>
  );
}
