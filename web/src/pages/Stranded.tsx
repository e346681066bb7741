/**
 * Stranded visitors (on the quarantine page): visitors caught in a sealed area, counted by origin province and listed
 * (masked) with their hotel, room and the care given; registering one and lodging them at a hotel's room; logging
 * free meals, medicine and counselling; the journey home.
 */
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Cascader, Form, Grid, Input, Modal, Segmented, Select, Space, Table, Tag, Typography, type ButtonProps } from 'antd';
import { ApiError, fetchSites, fetchStranded, giveCare, registerStranded, sendHome, type VisitorOut } from '../api.ts';
import { clock, problem, useApp, useOneAtATime } from '../context.ts';
import type { Words } from '../i18n.ts';
import { useUnits, type UnitOption } from './Supervision.tsx';

const refusal = (w: Words, e: unknown) => (e instanceof ApiError ? w.stranded.refusals[e.code] : undefined);

export function StrandedCard() {
  const { w, may } = useApp();
  const t = w.stranded;
  const client = useQueryClient();
  const [state, setState] = useState<'lodged' | 'released' | 'all'>('lodged');
  const list = useQuery({ queryKey: ['stranded', state], queryFn: () => fetchStranded(state), refetchInterval: 30_000 });
  const [registering, setRegistering] = useState(false);
  const [going, setGoing] = useState<VisitorOut | null>(null);
  const care = useMutation({ mutationFn: (v: { id: number; kind: 'meals' | 'medicine' | 'counselling' }) => giveCare(v.id, v.kind), onSuccess: () => { void client.invalidateQueries({ queryKey: ['stranded'] }); } });
  const manage = may('stranded:manage');
  // On a phone the origin, hotel and care go under the name, so the state and the buttons stay in view.
  const narrow = !Grid.useBreakpoint().md;
  const where = (r: VisitorOut) => `${r.siteName ?? ''} ${r.room ?? ''}`;
  const stateOf = (r: VisitorOut) => (r.releasedAt ? <Tag>{t.home(r.journeyHome ?? '')} · {clock(r.releasedAt)}</Tag> : <Tag color="blue">{t.lodged}</Tag>);
  const given = (r: VisitorOut) => <span data-testid="stranded-care">{t.careCounts(r.care.meals, r.care.medicine, r.care.counselling)}</span>;
  return (
    <Card size="small" style={{ marginTop: 12 }} title={t.title} data-testid="stranded"
      extra={manage && <Button size="small" type="primary" onClick={() => setRegistering(true)} data-testid="stranded-register">{t.register}</Button>}>
      {list.data && list.data.byOrigin.length > 0 && (
        <Typography.Paragraph data-testid="stranded-origins">
          {t.byOrigin}：{list.data.byOrigin.map((o) => `${o.originName} ${t.lodged}${o.lodged} / ${t.released}${o.released}`).join('；')}
        </Typography.Paragraph>
      )}
      <Segmented<'lodged' | 'released' | 'all'> value={state} onChange={setState} style={{ marginBottom: 8 }} options={(['lodged', 'released', 'all'] as const).map((k) => ({ value: k, label: t.states[k] }))} />
      {care.error && <Typography.Paragraph type="danger">{problem(w, care.error)}</Typography.Paragraph>}
      <Table<VisitorOut> size="small" rowKey="id" pagination={false} scroll={narrow ? undefined : { x: 'max-content' }} dataSource={list.data?.items ?? []} loading={list.isLoading} locale={{ emptyText: t.none }}
        onRow={(r) => ({ 'data-testid': 'stranded-row', 'data-id': r.id } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: t.cols.name, key: 'name', render: (_v, r) => (narrow
            ? <div>{r.name} · {r.idMasked}<Typography.Text type="secondary" className="small" style={{ display: 'block' }}>{r.originName} · {where(r)}</Typography.Text><Typography.Text type="secondary" className="small">{given(r)}</Typography.Text><div>{stateOf(r)}</div></div>
            : `${r.name} · ${r.idMasked}`) },
          ...(narrow ? [] : [
            { title: t.cols.origin, dataIndex: 'originName' },
            { title: t.cols.site, key: 'site', render: (_v: unknown, r: VisitorOut) => where(r) },
            { title: t.cols.care, key: 'care', render: (_v: unknown, r: VisitorOut) => given(r) },
          ]),
          ...(narrow ? [] : [{ title: t.cols.state, key: 'state', render: (_v: unknown, r: VisitorOut) => stateOf(r) }]),
          ...(manage ? [{ title: '', key: 'act', render: (_v: unknown, r: VisitorOut) => r.releasedAt === null && (
            <Space size={4} wrap>
              {(['meals', 'medicine', 'counselling'] as const).map((k) => (
                <Button key={k} size="small" onClick={() => care.mutate({ id: r.id, kind: k })} loading={care.isPending && care.variables?.id === r.id && care.variables.kind === k} data-testid={`care-${k}`}>{t.care[k]}</Button>
              ))}
              <Button size="small" onClick={() => setGoing(r)} data-testid="stranded-release">{t.release}</Button>
            </Space>
          ) }] : []),
        ]} />
      <RegisterDialog open={registering} onClose={() => setRegistering(false)} />
      <HomeDialog visitor={going} onClose={() => setGoing(null)} />
    </Card>
  );
}

function RegisterDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { w, session } = useApp();
  const t = w.stranded;
  const client = useQueryClient();
  const units = useUnits(session?.user.region ?? '43');
  const sites = useQuery({ queryKey: ['sites'], queryFn: fetchSites, enabled: open });
  type Values = { idNumber: string; name: string; phone?: string; area: string[]; siteId: number; room: string; note?: string };
  const [form] = Form.useForm<Values>();
  const save = useMutation({
    mutationFn: (v: Values) => registerStranded({
      idNumber: v.idNumber.trim(), name: v.name.trim(), ...(v.phone?.trim() ? { phone: v.phone.trim() } : {}), sealedRegionCode: v.area[v.area.length - 1], siteId: v.siteId, room: v.room.trim(),
      ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    }),
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['stranded'] }); void client.invalidateQueries({ queryKey: ['sites'] }); form.resetFields(); onClose(); },
  });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [open, reset]);
  return (
    <Modal open={open} title={t.registerTitle} okText={t.save} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'stranded-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" data-testid="stranded-form">
        <Form.Item name="idNumber" label={t.idNumber} rules={[{ required: true, pattern: /^\s*\d{17}[\dXx]\s*$/, message: t.idRequired }]}><Input maxLength={20} data-testid="stranded-id" /></Form.Item>
        <Form.Item name="name" label={t.name} rules={[{ required: true, whitespace: true, message: t.nameRequired }, { max: 50 }]}><Input data-testid="stranded-name" /></Form.Item>
        <Form.Item name="phone" label={t.phone} rules={[{ pattern: /^\s*1\d{10}\s*$/, message: t.phone }]}><Input inputMode="tel" maxLength={11} /></Form.Item>
        <Form.Item name="area" label={t.area} rules={[{ required: true, message: t.areaRequired }]}>
          <Cascader options={units.options} loadData={(p) => units.load(p as UnitOption[])} changeOnSelect data-testid="stranded-area" />
        </Form.Item>
        <Form.Item name="siteId" label={t.site} rules={[{ required: true, message: t.siteRequired }]}>
          <Select data-testid="stranded-site" options={(sites.data?.items ?? []).filter((x) => x.closedAt === null).map((x) => ({ value: x.id, label: `${x.name}（${x.bedsFree}）` }))} />
        </Form.Item>
        <Form.Item name="room" label={t.room} rules={[{ required: true, whitespace: true, message: t.roomRequired }, { max: 40 }]}><Input data-testid="stranded-room" /></Form.Item>
        <Form.Item name="note" label={t.note} rules={[{ max: 500 }]}><Input.TextArea rows={2} /></Form.Item>
        {save.error && <Typography.Text type="danger" data-testid="stranded-error">{refusal(w, save.error) ?? problem(w, save.error)}</Typography.Text>}
      </Form>
    </Modal>
  );
}

function HomeDialog({ visitor, onClose }: { visitor: VisitorOut | null; onClose: () => void }) {
  const { w } = useApp();
  const t = w.stranded;
  const client = useQueryClient();
  const [form] = Form.useForm<{ journey: string; note: string }>();
  const save = useMutation({
    mutationFn: (v: { journey: string; note: string }) => sendHome(visitor!.id, v.journey.trim(), v.note.trim()),
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['stranded'] }); void client.invalidateQueries({ queryKey: ['sites'] }); form.resetFields(); onClose(); },
  });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [visitor, reset]);
  return (
    <Modal open={visitor !== null} title={t.releaseTitle} okText={t.save} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'home-ok' } as ButtonProps}>
      <Form form={form} layout="vertical">
        <Form.Item name="journey" label={t.journey} rules={[{ required: true, whitespace: true, message: t.journeyRequired }, { max: 200 }]}><Input placeholder={t.journeyPlaceholder} data-testid="home-journey" /></Form.Item>
        <Form.Item name="note" label={t.note} rules={[{ required: true, whitespace: true, message: t.note }, { max: 500 }]}><Input.TextArea rows={2} data-testid="home-note" /></Form.Item>
        {save.error && <Typography.Text type="danger">{problem(w, save.error)}</Typography.Text>}
      </Form>
    </Modal>
  );
}
