/**
 * The grid worker's page (phone first): the tasks of my unit, filtered by status; accept, start, and complete with a
 * note (the quarantine site and room of a transfer, chosen among the open sites serving the task's unit; a door-to-door visit's check form: at home, temperature, symptoms, sample);
 * each task's person masked, their full identity on request with its purpose (the server audits it); my residents,
 * masked, likewise. Every action goes through the offline queue (offlineQueue.ts): on a weak network it is shown as
 * waiting and sent once when the network returns.
 */
import { useCallback, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Empty, Form, Input, InputNumber, List, Modal, Radio, Select, Space, Tabs, Tag, Typography, type ButtonProps } from 'antd';
import { fetchIdentity, fetchPerson, fetchPersons, fetchSitesServing, fetchTasks, type Identity, type PersonMasked, type Task, type TaskStep } from '../api.ts';
import { clock, codeText, noteText, problem, useApp } from '../context.ts';
import { enqueue, flush, pendingActions, type Outcome, type PendingAction } from '../offlineQueue.ts';

const FILTERS = ['open', 'assigned', 'accepted', 'in_progress', 'escalated', 'done'] as const;
type Filter = (typeof FILTERS)[number];
const STATUS_COLOURS: Record<string, string> = { assigned: 'blue', accepted: 'cyan', in_progress: 'geekblue', done: 'green', overdue: 'red', escalated: 'volcano', cancelled: 'default' };
const OPEN = new Set(['assigned', 'accepted', 'in_progress', 'overdue', 'escalated']);

function usePending(): PendingAction[] {
  const [list, setList] = useState(pendingActions);
  useEffect(() => {
    const update = () => setList(pendingActions());
    window.addEventListener('cordon-pending', update);
    window.addEventListener('storage', update);
    return () => { window.removeEventListener('cordon-pending', update); window.removeEventListener('storage', update); };
  }, []);
  return list;
}

/** A person masked, with a button to read their full identity for a stated purpose (audited by the server), for a role that may. */
function PersonLine({ id, purpose, person }: { id: number; purpose: string; person?: PersonMasked }) {
  const { w, may } = useApp();
  const t = w.command;
  const masked = useQuery({ queryKey: ['person', id], queryFn: () => fetchPerson(id), enabled: !person, staleTime: 60_000 });
  const [identity, setIdentity] = useState<Identity | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const p = person ?? masked.data;
  const reveal = () => fetchIdentity(id, purpose).then(setIdentity, (e: unknown) => setFailed(problem(w, e)));
  if (identity) return <span data-testid="identity">{identity.name} · {identity.idMasked}{identity.phone ? ` · ${identity.phone}` : ''} <Typography.Text type="secondary">{t.audited}</Typography.Text></span>;
  return (
    <span data-testid="person-masked">
      {p ? `${p.name} · ${p.idMasked}${p.phone ? ` · ${p.phone}` : ''}` : '…'}{' '}
      {may('persons:read-identity') && <Button size="small" type="link" onClick={reveal} data-testid="reveal">{t.reveal}</Button>}
      {failed && <Typography.Text type="danger">{failed}</Typography.Text>}
    </span>
  );
}

/** The residents of my unit, masked, 50 at a time. */
function MyResidents({ region }: { region: string }) {
  const { w } = useApp();
  const t = w.command;
  const [after, setAfter] = useState<number | undefined>();
  const page = useQuery({ queryKey: ['persons', region, after], queryFn: () => fetchPersons(region, after) });
  return (
    <div data-testid="my-residents">
      <List size="small" bordered dataSource={page.data?.items ?? []} loading={page.isLoading} locale={{ emptyText: t.noResidents }}
        renderItem={(p) => <List.Item data-testid="resident"><PersonLine id={p.id} person={p} purpose={t.residentPurpose} /></List.Item>} />
      {page.data?.nextAfter != null && <Button style={{ marginTop: 8 }} onClick={() => setAfter(page.data!.nextAfter!)}>{t.more}</Button>}
    </div>
  );
}

export function MyTasksPage() {
  const { w, session } = useApp();
  const t = w.command;
  const region = session?.user.region;
  return (
    <Tabs defaultActiveKey="tasks" items={[
      { key: 'tasks', label: <span data-testid="tab-tasks">{t.myTasks}</span>, children: <MyTasks /> },
      ...(region ? [{ key: 'residents', label: <span data-testid="tab-residents">{t.myResidents}</span>, children: <MyResidents region={region} /> }] : []),
    ]} />
  );
}

function MyTasks() {
  const { w } = useApp();
  const t = w.command;
  // The tab and one kind of task only (/tasks?kind=rectification, as other pages link to it) are kept in the address.
  const [params, setParams] = useSearchParams();
  const kind = params.get('kind') ?? undefined;
  const filter: Filter = (FILTERS as readonly string[]).includes(params.get('tab') ?? '') ? params.get('tab') as Filter : 'open';
  const setFilter = (f: Filter) => setParams((p) => { const n = new URLSearchParams(p); if (f === 'open') n.delete('tab'); else n.set('tab', f); return n; }, { replace: true });
  const [completing, setCompleting] = useState<Task | null>(null);
  const [messages, setMessages] = useState<string[]>([]);
  const [online, setOnline] = useState(navigator.onLine);
  const pending = usePending();
  const client = useQueryClient();
  // The unit's tasks of the tab, 50 at a time (oldest first), the open ones on the first tab.
  const tasks = useInfiniteQuery({
    queryKey: ['tasks', filter, kind],
    queryFn: ({ pageParam }) => fetchTasks({ ...(filter === 'open' ? { open: true } : { status: filter }), kind, after: pageParam, limit: 50 }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextAfter ?? undefined,
    refetchInterval: 30_000,
  });

  const report = useCallback((outcomes: Outcome[]) => {
    if (outcomes.length === 0) return;
    const why = (o: Extract<Outcome, { result: 'refused' }>) => `${codeText(w, o.code)}${o.status ? `（${t.statuses[o.status] ?? o.status}）` : ''}`;
    setMessages((old) => [...old, ...outcomes.flatMap((o) => (o.result === 'refused' ? [t.refused(o.action.taskId, why(o))] : []))]);
    void client.invalidateQueries({ queryKey: ['tasks'] });
  }, [client, t, w.errors]);
  const send = useCallback(() => { flush().then(report, () => undefined); }, [report]);

  useEffect(() => {
    const up = () => { setOnline(true); send(); };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    const tick = window.setInterval(send, 15_000);
    send();
    return () => { window.removeEventListener('online', up); window.removeEventListener('offline', down); window.clearInterval(tick); };
  }, [send]);

  const act = (task: Task, step: TaskStep, body: { note?: string; siteId?: number; room?: string } = {}) => { enqueue({ taskId: task.id, step, body }); send(); };
  const items = (tasks.data?.pages ?? []).flatMap((p) => p.items);
  const total = tasks.data?.pages[0]?.total ?? 0;
  const waiting = (id: number) => pending.filter((p) => p.taskId === id);

  return (
    <div className="my-tasks" data-testid="my-tasks">
      {!online && <Alert type="warning" showIcon title={t.offline} data-testid="offline" style={{ marginBottom: 8 }} />}
      {pending.length > 0 && <Alert type="info" showIcon title={t.pending(pending.length)} data-testid="pending" style={{ marginBottom: 8 }} />}
      {messages.map((m) => <Alert key={m} type="error" showIcon closable title={m} style={{ marginBottom: 8 }} data-testid="refused" onClose={() => setMessages((old) => old.filter((x) => x !== m))} />)}
      <Radio.Group optionType="button" buttonStyle="solid" size="middle" value={filter} onChange={(e) => setFilter(e.target.value as Filter)} className="task-filter" data-testid="task-filter"
        options={FILTERS.map((f) => ({ value: f, label: <span data-testid={`filter-${f}`}>{t.filters[f]}</span> }))} />
      {tasks.isError && <Alert type="error" title={w.failed} />}
      {tasks.data && items.length === 0 && <Empty description={t.noTasks} />}
      {total > 0 && <Typography.Text type="secondary" data-testid="task-count">{t.shown(items.length, total)}</Typography.Text>}
      <Space direction="vertical" size={10} style={{ width: '100%' }}>
        {items.map((task) => {
          const queued = waiting(task.id);
          return (
            <Card key={task.id} size="small" data-testid="task" data-id={task.id} data-status={task.status} data-kind={task.kind}
              title={<span className="task-title">{t.kinds[task.kind] ?? task.kind}</span>}
              extra={<Tag color={STATUS_COLOURS[task.status]}>{t.statuses[task.status]}</Tag>}>
              <div className="task-facts">
                {(task.directiveId !== null || task.kind === 'rectification' || task.kind === 'code_appeal') && <div className="task-text" data-testid="task-text">{task.title}</div>}
                <div>{t.unit}：{t.levels[task.level]} {task.regionName}</div>
                <div className={task.late ? 'late' : undefined}>{t.due}：{clock(task.dueAt)}{task.late && <Badge status="error" text={t.late} style={{ marginLeft: 8 }} />}</div>
                {task.subjectPersonId !== null && <div>{t.subject}：<PersonLine id={task.subjectPersonId} purpose={t.purpose(task.id, t.kinds[task.kind] ?? task.kind)} /></div>}
                {task.escalatedTo && <div>{t.escalatedTo}：{task.escalatedToName ?? task.escalatedTo}</div>}
                {task.note && <div className="small" data-testid="task-note">{t.note}：{noteText(task.note, w)}</div>}
              </div>
              {queued.length > 0 && <Tag color="gold" data-testid="queued">{t.queued(queued.map((q) => t.steps[q.step]).join('、'))}</Tag>}
              {OPEN.has(task.status) && queued.length === 0 && (
                <Space wrap style={{ marginTop: 8 }}>
                  {task.status !== 'accepted' && task.status !== 'in_progress' && <Button data-testid="accept" onClick={() => act(task, 'accept')}>{t.steps.accept}</Button>}
                  {task.status !== 'in_progress' && <Button data-testid="start" onClick={() => act(task, 'start')}>{t.steps.start}</Button>}
                  {task.kind === 'rectification'
                    ? <Typography.Text type="secondary" data-testid="awaits-reinspection">{t.awaitsReinspection}</Typography.Text>
                    : <Button type="primary" data-testid="complete" onClick={() => setCompleting(task)}>{t.steps.complete}</Button>}
                </Space>
              )}
            </Card>
          );
        })}
      </Space>
      {tasks.hasNextPage && <Button block style={{ marginTop: 10 }} loading={tasks.isFetchingNextPage} onClick={() => { void tasks.fetchNextPage(); }} data-testid="more-tasks">{t.more}</Button>}
      <CompleteDialog task={completing} onClose={() => setCompleting(null)} onDone={(task, body) => { act(task, 'complete', body); setCompleting(null); }} />
    </div>
  );
}

function CompleteDialog({ task, onClose, onDone }: { task: Task | null; onClose: () => void; onDone: (task: Task, body: { note: string; siteId?: number; room?: string }) => void }) {
  const { w } = useApp();
  const t = w.command;
  const [form] = Form.useForm<{ note: string; siteId?: number; room?: string; atHome?: 'yes' | 'no'; temperature?: number; symptoms?: 'none' | 'some'; sampled?: 'yes' | 'no' }>();
  useEffect(() => { if (task) form.resetFields(); }, [task, form]);
  const transfer = task?.kind === 'transfer_to_quarantine';
  const visit = task?.kind === 'door_to_door';
  const sites = useQuery({ queryKey: ['sites', task?.regionCode], queryFn: () => fetchSitesServing(task!.regionCode), enabled: transfer, staleTime: 30_000 });
  /** A door-to-door visit's answers, as a line of the note (in the page's language: it is the worker's own record). */
  const visitLine = (v: { atHome?: string; temperature?: number; symptoms?: string; sampled?: string }) =>
    [t.visit.atHome[v.atHome as 'yes' | 'no'], v.temperature ? `${t.visit.temperature} ${v.temperature}℃` : null, t.visit.symptoms[v.symptoms as 'none' | 'some'], t.visit.sampled[v.sampled as 'yes' | 'no']].filter(Boolean).join('；');
  return (
    <Modal open={task !== null} title={t.completeTitle} okText={t.steps.complete} cancelText={t.cancel} onCancel={onClose} destroyOnHidden
      onOk={() => { form.validateFields().then((v) => task && onDone(task, { note: visit ? `${visitLine(v)}。${v.note.trim()}` : v.note.trim(), ...(transfer ? { siteId: v.siteId, room: v.room?.trim() } : {}) })).catch(() => undefined); }}
      okButtonProps={{ 'data-testid': 'complete-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" data-testid="complete-form">
        {visit && (
          <div data-testid="visit-form">
            <Form.Item name="atHome" label={t.visit.atHomeLabel} rules={[{ required: true, message: t.visit.required }]}>
              <Radio.Group options={(['yes', 'no'] as const).map((k) => ({ value: k, label: t.visit.atHome[k] }))} />
            </Form.Item>
            <Form.Item name="temperature" label={t.visit.temperatureLabel}>
              <InputNumber min={34} max={43} step={0.1} precision={1} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="symptoms" label={t.visit.symptomsLabel} rules={[{ required: true, message: t.visit.required }]}>
              <Radio.Group options={(['none', 'some'] as const).map((k) => ({ value: k, label: t.visit.symptoms[k] }))} />
            </Form.Item>
            <Form.Item name="sampled" label={t.visit.sampledLabel} rules={[{ required: true, message: t.visit.required }]}>
              <Radio.Group options={(['yes', 'no'] as const).map((k) => ({ value: k, label: t.visit.sampled[k] }))} />
            </Form.Item>
          </div>
        )}
        <Form.Item name="note" label={t.note} rules={[{ required: true, whitespace: true, message: t.noteRequired }, { max: 2000 }]}>
          <Input.TextArea rows={3} data-testid="complete-note" placeholder={t.notePlaceholder} />
        </Form.Item>
        {transfer && (
          <>
            <Form.Item name="siteId" label={t.site} rules={[{ required: true, message: t.siteRequired }]}>
              <Select data-testid="complete-site" placeholder={t.sitePlaceholder} loading={sites.isLoading} notFoundContent={t.noSites} showSearch optionFilterProp="label"
                options={(sites.data?.items ?? []).map((x) => ({ value: x.id, label: t.siteOption(x.name, x.bedsFree), title: `${x.name} · ${x.regionName}`, disabled: x.bedsFree === 0 }))} />
            </Form.Item>
            <Form.Item name="room" label={t.room} rules={[{ required: true, whitespace: true, message: t.roomRequired }, { max: 40 },
              { validator: (_r, v?: string) => (!v || /[^\s\p{Cc}\p{Default_Ignorable_Code_Point}\p{M}\u2800]/u.test(v) ? Promise.resolve() : Promise.reject(new Error(t.roomInvisible))) }]}>
              <Input data-testid="complete-room" placeholder={t.roomPlaceholder} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
