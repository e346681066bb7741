/**
 * Supervision (/supervision): record an inspection of a unit inside one's region (chosen level by level) with its
 * findings, each becoming a rectification task; the open rectifications by level and as a list, late ones first, each
 * re-inspected (passed: done; not passed: stays open, optionally with a new deadline).
 */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Cascader, Col, DatePicker, Form, Input, InputNumber, Modal, Radio, Row, Space, Table, Tag, Typography, type ButtonProps } from 'antd';
import type { Dayjs } from 'dayjs';
import { fetchRegion, fetchRegions, fetchTasks, fetchTaskSummary, recordInspection, reinspect, type Task } from '../api.ts';
import { clock, deadlineLimits, problem, useApp, useOneAtATime } from '../context.ts';

export interface UnitOption { value: string; label: string; isLeaf: boolean; children?: UnitOption[] }

/** Units level by level from the actor's own, children loaded as they are opened. */
export function useUnits(root: string | null | undefined) {
  const [options, setOptions] = useState<UnitOption[] | null>(null);
  const rootQ = useQuery({ queryKey: ['region', root], queryFn: () => fetchRegion(root!), enabled: !!root });
  if (rootQ.data && options === null) setOptions([{ value: rootQ.data.code, label: rootQ.data.name, isLeaf: rootQ.data.level === 'grid' }]);
  const load = (path: UnitOption[]) => {
    const target = path[path.length - 1];
    fetchRegions(target.value).then((r) => {
      target.children = r.items.map((x) => ({ value: x.code, label: x.name, isLeaf: x.level === 'grid' }));
      if (target.children.length === 0) target.isLeaf = true;
      setOptions((o) => [...(o ?? [])]);
    }, () => undefined);
  };
  return { options: options ?? [], load };
}

export function SupervisionPage() {
  const { w, session, may } = useApp();
  const t = w.supervision;
  const c = w.command;
  const client = useQueryClient();
  const units = useUnits(session?.user.region ?? '43');
  const [form] = Form.useForm<{ unit: string[]; summary: string; findings: { text: string; withinHours?: number }[] }>();
  const [checking, setChecking] = useState<Task | null>(null);
  const open = useQuery({ queryKey: ['tasks', 'rectification'], queryFn: () => fetchTasks({ kind: 'rectification', limit: 200 }), refetchInterval: 30_000 });
  const summary = useQuery({ queryKey: ['summary', 'rectification'], queryFn: () => fetchTaskSummary('rectification'), refetchInterval: 30_000 });
  const record = useMutation({
    mutationFn: (v: { unit: string[]; summary: string; findings?: { text: string; withinHours?: number }[] }) =>
      recordInspection({ regionCode: v.unit[v.unit.length - 1], summary: v.summary.trim(), findings: (v.findings ?? []).map((f) => ({ text: f.text.trim(), ...(f.withinHours ? { withinHours: f.withinHours } : {}) })) }),
    onSuccess: () => { form.resetFields(); void client.invalidateQueries(); },
  });
  // One inspection per submission, however often the button is clicked.
  const submit = useOneAtATime(record.mutate);
  const failed = record.error ? problem(w, record.error) : null;
  const rows = (open.data?.items ?? []).filter((x) => x.status !== 'done' && x.status !== 'cancelled').sort((a, b) => Number(b.late) - Number(a.late) || a.dueAt.localeCompare(b.dueAt));
  return (
    <div data-testid="supervision">
      <Row gutter={[12, 12]}>
        {may('inspections:write') && (
          <Col xs={24} lg={10}>
            <Card size="small" title={t.recordTitle}>
              <Form form={form} layout="vertical" data-testid="inspection-form" onFinish={submit} initialValues={{ findings: [{ text: '' }] }}>
                <Form.Item name="unit" label={t.unit} rules={[{ required: true, message: t.unitRequired }]}>
                  <Cascader options={units.options} loadData={(p) => units.load(p as UnitOption[])} changeOnSelect placeholder={t.unitPlaceholder} data-testid="inspection-unit" />
                </Form.Item>
                <Form.Item name="summary" label={t.summary} rules={[{ required: true, whitespace: true, message: t.summaryRequired }, { max: 2000 }]}>
                  <Input.TextArea rows={2} data-testid="inspection-summary" />
                </Form.Item>
                <Form.List name="findings">
                  {(fields, { add, remove }) => (
                    <>
                      {fields.map((f, i) => (
                        <Space key={f.key} align="start" wrap style={{ display: 'flex' }}>
                          <Form.Item name={[f.name, 'text']} label={i === 0 ? t.finding : undefined} rules={[{ required: true, whitespace: true, message: t.findingRequired }, { max: 500 }]} style={{ minWidth: 200, flex: 1 }}>
                            <Input data-testid={`finding-${i}`} placeholder={t.findingPlaceholder} />
                          </Form.Item>
                          <Form.Item name={[f.name, 'withinHours']} label={i === 0 ? t.hours : undefined}>
                            <InputNumber min={1} max={720} placeholder={t.hoursDefault} data-testid={`finding-hours-${i}`} />
                          </Form.Item>
                          <Button onClick={() => remove(f.name)} style={{ marginTop: i === 0 ? 30 : 0 }}>{t.remove}</Button>
                        </Space>
                      ))}
                      <Button type="dashed" onClick={() => add({ text: '' })} style={{ marginBottom: 12 }} data-testid="add-finding">{t.addFinding}</Button>
                    </>
                  )}
                </Form.List>
                {failed && <Alert type="error" showIcon title={failed} style={{ marginBottom: 12 }} />}
                {record.isSuccess && <Alert type="success" showIcon title={t.recorded(record.data.tasks.length)} style={{ marginBottom: 12 }} data-testid="inspection-recorded" />}
                <Button type="primary" htmlType="submit" loading={record.isPending} data-testid="inspection-submit">{t.submit}</Button>
              </Form>
            </Card>
          </Col>
        )}
        <Col xs={24} lg={may('inspections:write') ? 14 : 24}>
          <Card size="small" title={t.byLevel}>
            <Table size="small" rowKey="level" pagination={false} scroll={{ x: 'max-content' }} dataSource={summary.data?.levels ?? []} data-testid="rectification-levels"
              columns={[
                { title: c.level, dataIndex: 'level', render: (v: string) => c.levels[v] ?? v },
                { title: c.cols.total, dataIndex: 'total', align: 'right' },
                { title: c.cols.open, key: 'open', align: 'right', render: (_v, r) => r.total - (r.counts.done ?? 0) - (r.counts.cancelled ?? 0) },
                { title: c.cols.escalated, key: 'esc', align: 'right', render: (_v, r) => r.counts.escalated ?? 0 },
                { title: c.cols.done, key: 'done', align: 'right', render: (_v, r) => r.counts.done ?? 0 },
              ]} />
          </Card>
          <Card size="small" title={t.openTitle} style={{ marginTop: 12 }} extra={<Link to="/tasks?kind=rectification" data-testid="rectification-tasks">{t.asTasks}</Link>}>
            <Table<Task> size="small" rowKey="id" pagination={false} scroll={{ x: 'max-content' }} dataSource={rows} data-testid="rectifications" locale={{ emptyText: t.none }}
              columns={[
                { title: t.finding, dataIndex: 'title' },
                { title: c.unit, key: 'unit', render: (_v, r) => `${c.levels[r.level] ?? r.level} ${r.regionName}` },
                { title: c.due, dataIndex: 'dueAt', render: (v: string, r) => <span className={r.late ? 'late' : undefined}>{clock(v)}{r.late && <Tag color="red" style={{ marginLeft: 6 }}>{c.late}</Tag>}</span> },
                { title: c.status, dataIndex: 'status', render: (v: string) => c.statuses[v] ?? v },
                ...(may('inspections:write') ? [{ title: '', key: 'act', render: (_v: unknown, r: Task) => <Button size="small" onClick={() => setChecking(r)} data-testid="reinspect">{t.reinspect}</Button> }] : []),
              ]} />
          </Card>
        </Col>
      </Row>
      <ReinspectDialog task={checking} onClose={() => setChecking(null)} />
    </div>
  );
}

function ReinspectDialog({ task, onClose }: { task: Task | null; onClose: () => void }) {
  const { w } = useApp();
  const t = w.supervision;
  const client = useQueryClient();
  const [form] = Form.useForm<{ passed: boolean; note: string; dueAt?: Dayjs }>();
  const passed = Form.useWatch('passed', form);
  const save = useMutation({
    mutationFn: (v: { passed: boolean; note: string; dueAt?: Dayjs }) => reinspect(task!.id, { passed: v.passed, note: v.note.trim(), ...(!v.passed && v.dueAt ? { dueAt: v.dueAt.format('YYYY-MM-DD HH:mm') } : {}) }),
    onSuccess: () => { void client.invalidateQueries(); form.resetFields(); onClose(); },
  });
  // One re-inspection per submission; a dialog opened for another task starts without the last one's error.
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [task, reset]);
  return (
    <Modal open={task !== null} title={t.reinspectTitle(task?.title ?? '')} okText={t.save} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => {
        form.validateFields().then(submit).catch(() => undefined);
      }} okButtonProps={{ 'data-testid': 'reinspect-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" initialValues={{ passed: true }} data-testid="reinspect-form">
        <Form.Item name="passed" label={t.result}>
          <Radio.Group options={[{ value: true, label: t.passed }, { value: false, label: t.notPassed }]} data-testid="reinspect-result" />
        </Form.Item>
        <Form.Item name="note" label={t.note} rules={[{ required: true, whitespace: true, message: t.noteRequired }, { max: 2000 }]}>
          <Input.TextArea rows={2} data-testid="reinspect-note" />
        </Form.Item>
        {passed === false && (
          <Form.Item name="dueAt" label={t.newDeadline}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} {...deadlineLimits} />
          </Form.Item>
        )}
        {save.error && <Typography.Text type="danger">{problem(w, save.error)}</Typography.Text>}
      </Form>
    </Modal>
  );
}
