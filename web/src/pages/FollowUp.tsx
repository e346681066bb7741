/**
 * Daily health monitoring (on the quarantine page): everyone under follow-up within reach (or held at the chosen
 * site), with today's counts; who has not reported today, who is lost to follow-up (the edition's days), everyone;
 * recording a person's temperature and symptoms (site staff, grid workers); texting those who have not reported.
 * The resident's own report form is `MyDailyReport` (the resident's page).
 */
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Grid, Input, InputNumber, Modal, Segmented, Space, Table, Tag, Typography, type ButtonProps } from 'antd';
import { ApiError, fetchFollowUp, fetchTemperatureRange, recordFollowUpReport, sendFollowUpReminders, type FollowUpList, type ReportBody } from '../api.ts';
import { clock, problem, useApp, useOneAtATime } from '../context.ts';
import type { Words } from '../i18n.ts';

type Item = FollowUpList['items'][number];

/** The edition's plausible range of a body temperature (the server refuses a reading outside it). */
export const useTemperatureRange = () => useQuery({ queryKey: ['temperature-range'], queryFn: fetchTemperatureRange, staleTime: Infinity }).data;

/** A refusal of a report said in the page's language (undefined: another error). */
export function reportRefusal(w: Words, e: unknown, range: { min: number; max: number } | undefined): string | undefined {
  if (!(e instanceof ApiError)) return undefined;
  if (e.code === 'NOT_IN_FOLLOW_UP') return w.followUp.notInFollowUp;
  if (e.code === 'VALIDATION_FAILED' && range) return w.followUp.temperatureRange(range);
  return undefined;
}

/** The form of one report: temperature (optional, within the edition's range) and symptoms (the list the words name), with a note. */
export function ReportFields({ w }: { w: Words }) {
  const t = w.followUp;
  const range = useTemperatureRange();
  return (
    <>
      <Form.Item name="temperatureC" label={t.temperature} extra={t.temperatureHint}
        rules={range ? [{ type: 'number', min: range.min, max: range.max, message: t.temperatureRange(range) }] : []}>
        <InputNumber step={0.1} precision={1} style={{ width: '100%' }} data-testid="report-temperature" inputMode="decimal" />
      </Form.Item>
      <Form.Item name="symptoms" label={t.symptoms} extra={t.noSymptoms}>
        <Checkbox.Group data-testid="report-symptoms" options={Object.entries(t.symptomNames).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="note" label={t.note} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} data-testid="report-note" />
      </Form.Item>
    </>
  );
}

/** The form's values as the API takes them. */
export const asReport = (v: { temperatureC?: number | null; symptoms?: ReportBody['symptoms']; note?: string }): ReportBody => ({
  temperatureC: v.temperatureC ?? null, symptoms: v.symptoms ?? [], ...(v.note?.trim() ? { note: v.note.trim() } : {}),
});

export function FollowUpCard({ siteId, Person }: { siteId?: number; Person: (p: { id: number }) => React.ReactNode }) {
  const { w, may } = useApp();
  const t = w.followUp;
  const [state, setState] = useState<'missed' | 'lost' | 'all'>('missed');
  const [recording, setRecording] = useState<Item | null>(null);
  const list = useQuery({ queryKey: ['follow-up', state, siteId], queryFn: () => fetchFollowUp(state, siteId), refetchInterval: 30_000 });
  const remind = useMutation({ mutationFn: () => sendFollowUpReminders(siteId) });
  const d = list.data;
  // On a phone the how and the last report go under the person, so the state and the record button stay in view.
  const narrow = !Grid.useBreakpoint().md;
  const how = (r: Item) => `${t.kinds[r.kind] ?? r.kind}${r.room ? ` · ${t.room} ${r.room}` : ''}`;
  const last = (r: Item) => (r.lastReportAt ? <span>{clock(r.lastReportAt)}{r.lastReport?.temperatureC != null && !r.lastReport.fever && <Typography.Text type="secondary" className="small"> {t.temp(r.lastReport.temperatureC)}</Typography.Text>}</span> : t.never);
  return (
    <Card size="small" style={{ marginTop: 12 }} title={t.title} data-testid="follow-up"
      extra={may('follow-up:remind') && <Button size="small" onClick={() => remind.mutate()} loading={remind.isPending} data-testid="remind">{t.remind}</Button>}>
      {d && <Typography.Paragraph data-testid="follow-up-counts">{t.counts(d.counts.under, d.counts.reportedToday, d.counts.missedToday, d.counts.lost)}<Typography.Text type="secondary">（{t.lostRule(d.lostAfterMissedDays)}）</Typography.Text></Typography.Paragraph>}
      {remind.isSuccess && <Alert type="success" showIcon title={t.reminded(remind.data.sent, remind.data.noPhone, remind.data.remindedAlready)} style={{ marginBottom: 8 }} data-testid="reminded" />}
      {remind.error && <Alert type="error" showIcon title={problem(w, remind.error)} style={{ marginBottom: 8 }} />}
      <Segmented<'missed' | 'lost' | 'all'> value={state} onChange={setState} data-testid="follow-up-state" style={{ marginBottom: 8 }}
        options={(['missed', 'lost', 'all'] as const).map((k) => ({ value: k, label: t.tabs[k] }))} />
      <Table<Item> size="small" rowKey="personId" pagination={false} scroll={narrow ? undefined : { x: 'max-content' }} dataSource={d?.items ?? []} loading={list.isLoading} locale={{ emptyText: t.none }}
        onRow={(r) => ({ 'data-testid': 'follow-up-row', 'data-person': r.personId } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: t.person, dataIndex: 'personId', render: (v: number, r) => (narrow
            ? <div><Person id={v} /><Typography.Text type="secondary" className="small" style={{ display: 'block' }}>{how(r)} · {t.lastReport} {last(r)}</Typography.Text></div>
            : <Person id={v} />) },
          ...(narrow ? [] : [
            { title: t.kind, key: 'kind', render: (_v: unknown, r: Item) => how(r) },
            { title: t.lastReport, key: 'last', render: (_v: unknown, r: Item) => last(r) },
          ]),
          { title: '', key: 'state', render: (_v, r) => (
            <Space size={4} wrap>
              {r.lastReport?.fever && <Tag color="red" data-testid="fever">{t.feverAt(r.lastReport.temperatureC!)}</Tag>}
              {r.lastReport && r.lastReport.symptoms.length > 0 && <Tag color="red" data-testid="symptomatic">{t.symptomatic}</Tag>}
              {r.reportedToday ? (!r.lastReport?.abnormal && <Tag color="green">{t.reported}</Tag>) : r.lost ? <Tag color="red" data-testid="lost">{t.lost} · {t.missedDays(r.missedDays)}</Tag> : <Tag color="orange">{t.missedDays(r.missedDays)}</Tag>}
            </Space>
          ) },
          ...(may('follow-up:report') ? [{ title: '', key: 'act', render: (_v: unknown, r: Item) => <Button size="small" onClick={() => setRecording(r)} data-testid="record-report">{t.record}</Button> }] : []),
        ]} />
      <ReportDialog item={recording} onClose={() => setRecording(null)} />
    </Card>
  );
}

function ReportDialog({ item, onClose }: { item: Item | null; onClose: () => void }) {
  const { w } = useApp();
  const t = w.followUp;
  const client = useQueryClient();
  const [form] = Form.useForm<{ temperatureC?: number | null; symptoms?: ReportBody['symptoms']; note?: string }>();
  const save = useMutation({
    mutationFn: (v: { temperatureC?: number | null; symptoms?: ReportBody['symptoms']; note?: string }) => recordFollowUpReport(item!.personId, asReport(v)),
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['follow-up'] }); form.resetFields(); onClose(); },
  });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  const range = useTemperatureRange();
  useEffect(() => { reset(); }, [item, reset]);
  return (
    <Modal open={item !== null} title={t.recordTitle} okText={t.save} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'report-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" data-testid="report-form">
        <ReportFields w={w} />
        {save.error && <Space><Typography.Text type="danger" data-testid="report-error">{reportRefusal(w, save.error, range) ?? problem(w, save.error)}</Typography.Text></Space>}
      </Form>
    </Modal>
  );
}
