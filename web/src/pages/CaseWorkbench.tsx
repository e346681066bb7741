/**
 * The investigator's workbench for one case (`/cases/:id`): the case's key times; its trajectory from the interview
 * as rows (date, start and end, a place found in the register, a train or flight with the seat, or a place as typed;
 * activity, mask, people met, notes), where saving a row writes it as presence of the investigation and retraces the
 * case at once; the contacts tracing found, with their persons (masked) and evidence, filtered by kind, exported as
 * XLSX or CSV; a contact entered by the investigators' judgement (the protocol's setting 9) with its reason; and the
 * chain of transmission the case is in, as a graph, with the case's possible sources and their relative likelihood,
 * where an investigator confirms or rejects a link.
 */
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, DatePicker, Descriptions, Form, Grid, Input, Modal, Segmented, Select, Space, Table, Tag, Typography, type ButtonProps } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import {
  addExposureEvent, addManualContact, withdrawExposureEvent, addTrajectoryRows, ApiError, downloadCaseContacts, fetchCase, fetchChains, setLinkVerdict, publishNotice, fetchCaseContacts, fetchTrajectory, searchPersons, searchPlaces,
  type ListedContactOut, type PersonSearchOut, type TrajectoryRowIn, type TrajectoryRowOut,
} from '../api.ts';
import { ChainGraph } from '../ChainGraph.tsx';
import { InterviewCard } from './CaseInterview.tsx';
import { percentOf, spanOf } from '../workbench.ts';
import { clock, codeText, problem, useApp, useOneAtATime } from '../context.ts';

type Where = 'place' | 'vehicle' | 'typed';
interface RowValues {
  where: Where; date: Dayjs; start: string; end: string; nextDay?: boolean; placeCode?: string; number?: string; seat?: string; carriage?: string; placeText?: string;
  activity?: string; mask?: 'yes' | 'no' | 'unknown'; peopleMet?: string; notes?: string;
}

/** The rule of a span's end field: after the start, unless it ends the next day. */
const endAfterStart = (message: string) => ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
  validator: (_: unknown, end: string | undefined) => {
    const start = getFieldValue('start') as string | undefined;
    return !end || !start || getFieldValue('nextDay') || end > start ? Promise.resolve() : Promise.reject(new Error(message));
  },
});

/**
 * A span's fields, as a trajectory row and an exposure event take them: the date, the start and end times (HH:mm) and
 * "ends the next day"; `testId` prefixes the fields' test ids. On a phone the date has a line of its own (beside the
 * two times it was cut to "2026-12").
 */
function SpanFields({ testId }: { testId: 'row' | 'event' }) {
  const { w } = useApp();
  const t = w.workbench;
  const narrow = !Grid.useBreakpoint().md;
  const date = (style?: React.CSSProperties) => (
    <Form.Item name="date" label={t.date} rules={[{ required: true, message: t.timeRequired }]} style={style}><DatePicker style={{ width: '100%' }} data-testid={`${testId}-date`} /></Form.Item>
  );
  return (
    <>
      {narrow && date()}
      <Space.Compact block>
        {!narrow && date({ flex: 2 })}
        <Form.Item name="start" label={t.start} rules={[{ required: true, pattern: /^\d{2}:\d{2}$/, message: t.timeRequired }]} style={{ flex: 1 }}><Input type="time" data-testid={`${testId}-start`} /></Form.Item>
        <Form.Item name="end" label={t.end} dependencies={['start', 'nextDay']} rules={[{ required: true, pattern: /^\d{2}:\d{2}$/, message: t.timeRequired }, endAfterStart(t.endBeforeStart)]} style={{ flex: 1 }}><Input type="time" data-testid={`${testId}-end`} /></Form.Item>
      </Space.Compact>
      <Form.Item name="nextDay" valuePropName="checked" style={{ marginTop: -8 }}><Checkbox data-testid={`${testId}-next-day`}>{t.nextDay}</Checkbox></Form.Item>
    </>
  );
}

/** The row as the API takes it: the date with its start and end (the end on the next day only when asked). */
export function rowOf(v: RowValues): TrajectoryRowIn {
  const day = v.date.format('YYYY-MM-DD');
  const text = (x?: string) => (x?.trim() ? x.trim() : undefined);
  return {
    ...spanOf(v.date, v.start, v.end, v.nextDay),
    ...(v.where === 'place' ? { placeCode: v.placeCode } : v.where === 'vehicle' ? { vehicle: { number: v.number!.trim(), date: day, seat: text(v.seat), carriage: text(v.carriage) } } : { placeText: v.placeText!.trim() }),
    activity: text(v.activity), mask: v.mask, peopleMet: text(v.peopleMet), notes: text(v.notes),
  };
}

/** Today in China (UTC+8) wherever this device is: a default title's date, only text (the server dates the notice). */
const chinaToday = () => dayjs(Date.now() + (480 + new Date().getTimezoneOffset()) * 60_000);

/** The form field of each API field of a row (`rows.N.` left out). */
const ROW_FIELDS: Record<string, keyof RowValues> = {
  start: 'start', end: 'end', placeCode: 'placeCode', placeText: 'placeText', vehicle: 'number', 'vehicle.number': 'number', 'vehicle.seat': 'seat', 'vehicle.carriage': 'carriage',
};

function AddRowDialog({ caseId, open, onClose, onSaved }: { caseId: number; open: boolean; onClose: () => void; onSaved: (added: number, close: number) => void }) {
  const { w } = useApp();
  const t = w.workbench;
  const client = useQueryClient();
  const [form] = Form.useForm<RowValues>();
  const where = Form.useWatch('where', form) ?? 'place';
  const placeCode = Form.useWatch('placeCode', form);
  const [placeText, setPlaceText] = useState('');
  const places = useQuery({ queryKey: ['place-search', placeText], queryFn: () => searchPlaces(placeText), enabled: placeText.trim().length > 0, staleTime: 60_000 });
  const save = useMutation({
    mutationFn: (v: RowValues) => addTrajectoryRows(caseId, [rowOf(v)]),
    // What the server refused is said at its field: rows.0.end at the end time, rows.0.vehicle at the number ...
    onError: (e) => {
      if (!(e instanceof ApiError)) return;
      const at = new Map<keyof RowValues, string>();
      for (const f of e.fields) {
        const path = /^rows\.\d+\.(.+)$/.exec(f)?.[1] ?? '';
        const field = ROW_FIELDS[path] ?? ROW_FIELDS[path.split('.')[0]];
        if (field) at.set(field, t.rowFieldErrors[e.code === 'UNKNOWN_REFERENCE' ? `${field}Unknown` : field] ?? t.rowFieldErrors.other);
      }
      form.setFields([...at].map(([name, text]) => ({ name, errors: [text] })));
    },
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: ['case', caseId] });
      form.resetFields();
      onSaved(r.added, r.trace.contacts.close);
      onClose();
    },
  });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [open, reset]);
  return (
    <Modal open={open} title={t.addTitle} okText={t.save} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'row-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" initialValues={{ where: 'place', mask: 'unknown' }} data-testid="row-form" data-place={placeCode ?? ''}>
        <Form.Item name="where" label={t.where}>
          <Segmented<Where> block options={(['place', 'vehicle', 'typed'] as const).map((k) => ({ value: k, label: t.whereKinds[k] }))} data-testid="row-where" />
        </Form.Item>
        <SpanFields testId="row" />
        {where === 'place' && (
          <Form.Item name="placeCode" label={t.place} rules={[{ required: true, message: t.placeRequired }]}>
            <Select showSearch filterOption={false} onSearch={setPlaceText} placeholder={t.placeSearch} notFoundContent={null} data-testid="row-place"
              options={(places.data?.items ?? []).filter((p) => p.category !== 'vehicle').map((p) => ({ value: p.code, label: `${p.name}（${w.search.categories[p.category] ?? p.category}）` }))} />
          </Form.Item>
        )}
        {where === 'vehicle' && (
          <Space.Compact block>
            <Form.Item name="number" label={t.number} rules={[{ required: true, pattern: /^\s*[A-Za-z0-9]{2,12}\s*$/, message: t.numberRequired }]} style={{ flex: 2 }}><Input data-testid="row-number" /></Form.Item>
            <Form.Item name="carriage" label={t.carriage} style={{ flex: 1 }}><Input maxLength={10} /></Form.Item>
            <Form.Item name="seat" label={t.seat} style={{ flex: 1 }}><Input maxLength={10} data-testid="row-seat" /></Form.Item>
          </Space.Compact>
        )}
        {where === 'typed' && (
          <Form.Item name="placeText" label={t.typed} extra={t.typedNote} rules={[{ required: true, whitespace: true, message: t.typedRequired }, { max: 200 }]}><Input data-testid="row-typed" /></Form.Item>
        )}
        <Form.Item name="activity" label={t.activity} rules={[{ max: 200 }]}><Input data-testid="row-activity" /></Form.Item>
        <Form.Item name="mask" label={t.mask}><Segmented block options={(['yes', 'no', 'unknown'] as const).map((k) => ({ value: k, label: t.masks[k] }))} /></Form.Item>
        <Form.Item name="peopleMet" label={t.peopleMet} rules={[{ max: 500 }]}><Input /></Form.Item>
        <Form.Item name="notes" label={t.notes} rules={[{ max: 1000 }]}><Input.TextArea rows={2} /></Form.Item>
        {save.error && <Typography.Text type="danger" data-testid="row-error">{problem(w, save.error, { UNKNOWN_REFERENCE: t.rowUnknown })}</Typography.Text>}
      </Form>
    </Modal>
  );
}

function PublishDialog({ caseId, open, onClose, onPublished, defaultTitle }: { caseId: number; open: boolean; onClose: () => void; onPublished: () => void; defaultTitle: string }) {
  const { w } = useApp();
  const t = w.workbench;
  const [form] = Form.useForm<{ title: string }>();
  const save = useMutation({ mutationFn: (v: { title: string }) => publishNotice(caseId, v.title.trim()), onSuccess: () => { onPublished(); onClose(); } });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [open, reset]);
  return (
    <Modal open={open} title={t.publishTitle} okText={t.publishOk} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'publish-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" initialValues={{ title: defaultTitle }} data-testid="publish-form">
        <Typography.Paragraph type="secondary">{t.publishNote}</Typography.Paragraph>
        <Form.Item name="title" label={t.noticeTitle} rules={[{ required: true, whitespace: true, message: t.noticeTitleRequired }, { max: 100 }]}><Input data-testid="publish-title" /></Form.Item>
        {save.error && <Typography.Text type="danger" data-testid="publish-error">{problem(w, save.error)}</Typography.Text>}
      </Form>
    </Modal>
  );
}

interface ManualValues { personId: number; kind: 'close' | 'secondary'; viaContactId?: number; date: Dayjs; start: string; end: string; nextDay?: boolean; reason: string }

/**
 * A contact by the investigators' judgement: the person is found by ID number, phone or name (one audited search per
 * click of 查找, never per keystroke), then kind, exposure and reason; a secondary contact names its close contact.
 */
function ManualContactDialog({ caseId, caseNo, closeContacts, open, onClose, onSaved }: {
  caseId: number; caseNo: string; closeContacts: ListedContactOut[]; open: boolean; onClose: () => void; onSaved: () => void;
}) {
  const { w } = useApp();
  const t = w.workbench;
  const client = useQueryClient();
  const [form] = Form.useForm<ManualValues>();
  const kind = Form.useWatch('kind', form) ?? 'close';
  const chosen = Form.useWatch('personId', form);
  const [typed, setTyped] = useState('');
  // One person found (an ID number, a phone of one person): chosen at once.
  const find = useMutation({
    mutationFn: (q: string): Promise<PersonSearchOut> => searchPersons(q, t.manualPurpose(caseNo)),
    onSuccess: (r) => form.setFieldValue('personId', r.items.length === 1 ? r.items[0].id : undefined),
  });
  const save = useMutation({
    mutationFn: (v: ManualValues) => {
      const span = spanOf(v.date, v.start, v.end, v.nextDay);
      return addManualContact(caseId, {
        personId: v.personId, kind: v.kind, reason: v.reason.trim(), firstExposure: span.start, lastExposure: span.end,
        viaContactId: v.kind === 'secondary' ? v.viaContactId ?? null : null,
      });
    },
    onSuccess: () => { void client.invalidateQueries({ queryKey: ['case', caseId] }); form.resetFields(); find.reset(); onSaved(); onClose(); },
  });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [open, reset]);
  const found = find.data?.items ?? [];
  return (
    <Modal open={open} title={t.manualTitle} okText={t.manualOk} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'manual-ok' } as ButtonProps}>
      <Form form={form} layout="vertical" initialValues={{ kind: 'close' }} data-testid="manual-form" data-person={chosen ?? ''}>
        <Form.Item label={t.findPerson} extra={t.findPersonHint}>
          <Input.Search value={typed} onChange={(e) => setTyped(e.target.value)} enterButton={t.find} loading={find.isPending}
            onSearch={(q) => { if (q.trim()) find.mutate(q.trim()); }} data-testid="manual-find" />
        </Form.Item>
        <Form.Item name="personId" label={t.person} rules={[{ required: true, message: t.personRequired }]}
          help={find.isSuccess && found.length === 0 ? t.noPerson : undefined}>
          <Select data-testid="manual-person" placeholder={t.personRequired}
            options={found.map((p) => ({ value: p.id, label: `${p.name} · ${p.idMasked}` }))} />
        </Form.Item>
        <Form.Item name="kind" label={t.manualKind}>
          <Segmented block options={(['close', 'secondary'] as const).map((k) => ({ value: k, label: t.kinds[k] }))} data-testid="manual-kind" />
        </Form.Item>
        {kind === 'secondary' && (
          <Form.Item name="viaContactId" label={t.via} rules={[{ required: true, message: t.viaRequired }]}>
            <Select options={closeContacts.map((k) => ({ value: k.id, label: k.person ? `${k.person.name} · ${k.person.idMasked}` : `#${k.personId}` }))} data-testid="manual-via" />
          </Form.Item>
        )}
        <Space.Compact block>
          <Form.Item name="date" label={t.exposureDate} rules={[{ required: true, message: t.timeRequired }]} style={{ flex: 2 }}><DatePicker style={{ width: '100%' }} data-testid="manual-date" /></Form.Item>
          <Form.Item name="start" label={t.start} rules={[{ required: true, pattern: /^\d{2}:\d{2}$/, message: t.timeRequired }]} style={{ flex: 1 }}><Input type="time" data-testid="manual-start" /></Form.Item>
          <Form.Item name="end" label={t.end} dependencies={['start', 'nextDay']} rules={[{ required: true, pattern: /^\d{2}:\d{2}$/, message: t.timeRequired }, endAfterStart(t.endBeforeStart)]} style={{ flex: 1 }}><Input type="time" data-testid="manual-end" /></Form.Item>
        </Space.Compact>
        <Form.Item name="nextDay" valuePropName="checked" style={{ marginTop: -8 }}><Checkbox data-testid="manual-next-day">{t.nextDay}</Checkbox></Form.Item>
        <Form.Item name="reason" label={t.reason} rules={[{ required: true, whitespace: true, message: t.reasonRequired }, { max: 2000 }]}><Input.TextArea rows={3} data-testid="manual-reason" /></Form.Item>
        {save.error && <Typography.Text type="danger" data-testid="manual-error">{problem(w, save.error, { EXPOSURE_OUTSIDE_WINDOW: t.outsideWindow, CONFLICT: t.alreadyContact })}</Typography.Text>}
      </Form>
    </Modal>
  );
}

interface EventValues { name?: string; placeId?: number; date: Dayjs; start: string; end: string; nextDay?: boolean; sources?: number[]; exposed: number[]; note?: string }

/**
 * An exposure event entered by the investigator (POST /api/exposure-events): a name, a place found in the register
 * (or none: a private home), the date with its start and end, the cases infectious there and the cases exposed there
 * (this case to begin with), chosen by case number among the cases of the chains in reach. The exposed cases form one
 * cluster named after the event.
 */
function EventDialog({ caseId, cases, open, onClose, onSaved }: { caseId: number; cases: { id: number; caseNo: string }[]; open: boolean; onClose: () => void; onSaved: () => void }) {
  const { w } = useApp();
  const t = w.workbench;
  const client = useQueryClient();
  const [form] = Form.useForm<EventValues>();
  const placeId = Form.useWatch('placeId', form);
  const [placeText, setPlaceText] = useState('');
  const places = useQuery({ queryKey: ['place-search', placeText], queryFn: () => searchPlaces(placeText), enabled: placeText.trim().length > 0, staleTime: 60_000 });
  // A refusal that names a case (the server's details) says which, by its number; others in the form's words.
  const eventRefusal = (e: unknown) => {
    const caseId = e instanceof ApiError && typeof e.facts.caseId === 'number' ? e.facts.caseId : undefined;
    const caseNo = caseId === undefined ? undefined : cases.find((c) => c.id === caseId)?.caseNo ?? `#${caseId}`;
    if (caseNo !== undefined && e instanceof ApiError && (e.code === 'UNKNOWN_REFERENCE' || e.code === 'CASE_WITHDRAWN' || e.code === 'EXPOSURE_OUTSIDE_WINDOW')) {
      return t.eventCaseRefused(caseNo, e.code === 'CASE_WITHDRAWN' ? t.eventCaseWithdrawn : e.code === 'EXPOSURE_OUTSIDE_WINDOW' ? t.eventCaseNotInfectious : t.eventCaseUnknown);
    }
    return problem(w, e, t.eventRefusals);
  };
  const save = useMutation({
    mutationFn: (v: EventValues) => addExposureEvent({
      // No name with a place: the server names the event after it.
      name: v.name?.trim() ? v.name.trim() : null, placeId: v.placeId ?? null, ...spanOf(v.date, v.start, v.end, v.nextDay), sourceCaseIds: v.sources ?? [], exposedCaseIds: v.exposed, note: v.note?.trim() ? v.note.trim() : null,
    }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['case', caseId] });
      form.resetFields();
      onSaved();
      onClose();
    },
  });
  const submit = useOneAtATime(save.mutate);
  const { reset } = save;
  useEffect(() => { reset(); }, [open, reset]);
  // A message shown stays in the language it was made in: the fields in error are checked again when the language changes.
  useEffect(() => {
    const shown = form.getFieldsError().filter((f) => f.errors.length > 0).map((f) => f.name);
    if (shown.length) void form.validateFields(shown).catch(() => undefined);
  }, [w, form]);
  const options = cases.map((c) => ({ value: c.id, label: c.caseNo }));
  const notBoth = ({ getFieldValue }: { getFieldValue: (name: string) => unknown }) => ({
    validator: (_: unknown, exposed: number[] | undefined) => {
      const sources = new Set((getFieldValue('sources') as number[] | undefined) ?? []);
      return (exposed ?? []).some((id) => sources.has(id)) ? Promise.reject(new Error(t.eventBothRoles)) : Promise.resolve();
    },
  });
  return (
    <Modal open={open} title={t.eventTitle} okText={t.eventOk} cancelText={w.command.cancel} onCancel={onClose} destroyOnHidden confirmLoading={save.isPending}
      onOk={() => { form.validateFields().then(submit).catch(() => undefined); }} okButtonProps={{ 'data-testid': 'event-ok' } as ButtonProps} cancelButtonProps={{ 'data-testid': 'event-cancel' } as ButtonProps}>
      <Form form={form} layout="vertical" initialValues={{ exposed: [caseId] }} data-testid="event-form" data-place={placeId ?? ''}>
        <Form.Item name="name" label={t.eventName} extra={t.eventNameHint} dependencies={['placeId']} rules={[{ required: placeId === undefined || placeId === null, whitespace: true, message: t.eventNameRequired }, { max: 200 }]}><Input data-testid="event-name" /></Form.Item>
        <Form.Item name="placeId" label={t.eventPlace}>
          <Select showSearch allowClear filterOption={false} onSearch={setPlaceText} placeholder={t.placeSearch} notFoundContent={null} data-testid="event-place"
            options={(places.data?.items ?? []).filter((p) => p.category !== 'vehicle').map((p) => ({ value: p.id, label: `${p.name}（${w.search.categories[p.category] ?? p.category}）` }))} />
        </Form.Item>
        <SpanFields testId="event" />
        <Form.Item name="sources" label={t.eventSources}>
          <Select mode="multiple" optionFilterProp="label" placeholder={t.eventCases} options={options} data-testid="event-sources" onChange={() => { void form.validateFields(['exposed']).catch(() => undefined); }} />
        </Form.Item>
        <Form.Item name="exposed" label={t.eventExposed} dependencies={['sources']} rules={[{ required: true, type: 'array', min: 1, message: t.eventExposedRequired }, notBoth]}>
          <Select mode="multiple" optionFilterProp="label" placeholder={t.eventCases} options={options} data-testid="event-exposed" />
        </Form.Item>
        <Form.Item name="note" label={t.eventNote} rules={[{ max: 2000 }]}><Input.TextArea rows={2} /></Form.Item>
        {save.error && <Typography.Text type="danger" data-testid="event-error">{eventRefusal(save.error)}</Typography.Text>}
      </Form>
    </Modal>
  );
}

/**
 * The longest case number kept on one line in the candidates' table (a province's numbers, as HN-00001, are about
 * ten characters): a longer one may break anywhere rather than push the table past a phone's width.
 */
const CASE_NO_WHOLE = 14;

/** `text` with each of `words` (case numbers) on one line, never broken at its hyphens on a phone. */
function keepWhole(text: string, words: string[]): React.ReactNode {
  const found = words.filter((x) => x !== '');
  if (!found.length) return text;
  const pattern = new RegExp(`(${found.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`);
  return text.split(pattern).map((part, i) => (i % 2 === 1 ? <span key={i} translate="no" style={{ whiteSpace: 'nowrap' }}>{part}</span> : part));
}

/** The chain the case is in, drawn, and the case's possible sources, each to confirm or reject. */
function ChainCard({ caseId, narrow }: { caseId: number; narrow: boolean }) {
  const { w, may } = useApp();
  const t = w.workbench;
  const client = useQueryClient();
  const chains = useQuery({ queryKey: ['case', caseId, 'chains'], queryFn: () => fetchChains() });
  const verdict = useMutation({
    mutationFn: (v: { infector: number; verdict: 'confirmed' | 'rejected' | 'cleared' }) => setLinkVerdict(v.infector, caseId, v.verdict),
    // Refused too (another tab confirmed a source since): the candidates are read again, so the page shows what stands.
    onSettled: () => { void client.invalidateQueries({ queryKey: ['case', caseId, 'chains'] }); },
  });
  const send = useOneAtATime(verdict.mutate);
  const chain = chains.data?.chains.find((c) => c.caseIds.includes(caseId));
  const inference = chains.data?.inferences.find((i) => i.caseId === caseId);
  // Each candidate's probability is the server's, beside the probability that the source is none of them.
  const likelihood = new Map<string, number>();
  for (const i of chains.data?.inferences ?? []) for (const c of i.candidates) likelihood.set(`${c.infector}-${i.caseId}`, c.probability);
  const listed = (inference?.candidates ?? []).map((c) => ({ ...c, likelihood: c.probability }));
  // The events the case's cluster was formed around, and every event an investigator entered with the case exposed.
  const events = (chains.data?.events ?? []).filter((e) => e.exposed.includes(caseId) && (chain?.events.includes(e.key) || e.origin === 'investigator'));
  /** The source an investigator confirmed, if any: undone by rejecting it, before another may be confirmed. */
  const confirmed = inference?.byInvestigator && inference.infector !== null ? inference.infector : undefined;
  // A source confirmed that the evidence never offered is listed too, so that its confirmation can be undone.
  const caseNos = new Map<number, string>();
  for (const ch of chains.data?.chains ?? []) ch.caseIds.forEach((id, k) => caseNos.set(id, ch.caseNos[k]));
  const numberOf = (id: number) => caseNos.get(id) ?? `#${id}`;
  /** Sources an investigator rejected for this case: listed under the candidates, each with its undo. */
  const rejected = (chains.data?.rejected ?? []).filter((l) => l.infectee === caseId);
  const candidates = confirmed !== undefined && !listed.some((c) => c.infector === confirmed)
    ? [{ infector: confirmed, caseNo: numberOf(confirmed), likelihood: 0, probability: 0, score: 0, exposureStart: null }, ...listed] : listed;
  const [entering, setEntering] = useState(false);
  const [eventSaved, setEventSaved] = useState(false);
  // An event entered by mistake, being withdrawn with the reason.
  const [withdrawing, setWithdrawing] = useState<{ id: number; name: string } | null>(null);
  const [reason, setReason] = useState('');
  const withdrawal = useMutation({
    mutationFn: (v: { id: number; reason: string }) => withdrawExposureEvent(v.id, v.reason),
    onSuccess: () => { setWithdrawing(null); setReason(''); setEventSaved(false); },
    onSettled: () => { void client.invalidateQueries({ queryKey: ['case', caseId, 'chains'] }); },
  });
  // A double click withdraws once (the second would be refused: EVENT_WITHDRAWN).
  const withdraw = useOneAtATime(withdrawal.mutate);
  // The cases an event may name: the account's own (those the view infers for: a chain's cases elsewhere are drawn by
  // number only, and the server refuses them), by number.
  const own = new Set((chains.data?.inferences ?? []).map((i) => i.caseId));
  const known = new Map([...caseNos].filter(([id]) => own.has(id)));
  // The cluster as people name it: after the event it was formed around, else after its first case (the earliest
  // onset, as the API's and the exports' names say it).
  const mainEvent = chain && (chains.data?.events ?? []).find((e) => e.key === chain.events[0]);
  // An inferred link's likelihood is known only for the cases one may see (their inferences): others have none.
  const inferred = new Set((chains.data?.inferences ?? []).map((i) => i.caseId));
  const graphLinks = chain ? [...chain.links, ...chain.sourceLinks].map((l) => ({ infector: l.infector, infectee: l.infectee, byInvestigator: l.byInvestigator, likelihood: l.byInvestigator ? null : likelihood.get(`${l.infector}-${l.infectee}`) ?? null })) : [];
  return (
    <Card size="small" title={t.chain} data-testid="case-chain" loading={chains.isLoading}
      extra={may('links:write') && <Button size="small" onClick={() => { setEventSaved(false); setEntering(true); }} data-testid="add-event">{t.addEvent}</Button>}>
      <EventDialog caseId={caseId} cases={[...known].map(([id, caseNo]) => ({ id, caseNo })).sort((a, b) => a.caseNo.localeCompare(b.caseNo))} open={entering} onClose={() => setEntering(false)} onSaved={() => setEventSaved(true)} />
      {eventSaved && <Alert type="success" showIcon closable style={{ marginBottom: 8 }} message={t.eventSaved} data-testid="event-saved" onClose={() => setEventSaved(false)} />}
      <Modal open={withdrawing !== null} title={withdrawing ? t.eventWithdrawTitle(withdrawing.name) : ''} okText={t.eventWithdrawOk} cancelText={w.command.cancel} okButtonProps={{ danger: true, disabled: !reason.trim(), loading: withdrawal.isPending }}
        onOk={() => withdrawing && withdraw({ id: withdrawing.id, reason: reason.trim() })} onCancel={() => { setWithdrawing(null); withdrawal.reset(); }} destroyOnHidden data-testid="withdraw-event-dialog">
        <Input.TextArea rows={3} maxLength={2000} placeholder={t.eventWithdrawReason} value={reason} onChange={(ev) => setReason(ev.target.value)} data-testid="withdraw-event-reason" />
        {withdrawal.error && <Typography.Text type="danger" data-testid="withdraw-event-error">{problem(w, withdrawal.error)}</Typography.Text>}
      </Modal>
      {withdrawal.isSuccess && <Alert type="success" showIcon closable style={{ marginBottom: 8 }} message={t.eventWithdrawn} data-testid="event-withdrawn" onClose={() => withdrawal.reset()} />}
      {chain ? (
        <>
          <ChainGraph height={narrow ? 300 : 320} focus={caseId} roots={[...new Set([...chain.roots, ...chain.sourceLinks.map((l) => l.infector)])]}
            cases={[...chain.caseIds.map((id, k) => ({ id, caseNo: chain.caseNos[k] })), ...[...new Map(chain.sourceLinks.map((l) => [l.infector, l.infectorNo])).entries()].map(([id, caseNo]) => ({ id, caseNo }))]}
            links={graphLinks} exposedAt={chain.exposedAt}
            events={chain.events.flatMap((key) => (chains.data?.events ?? []).filter((e) => e.key === key).map((e) => ({ key: e.key, name: e.name, sources: e.sources })))} />
          <Typography.Paragraph type="secondary" className="small" style={{ marginTop: 4 }}>
            {t.chainLegend}
            {graphLinks.some((l) => !l.byInvestigator && !inferred.has(l.infectee)) && <span data-testid="chain-outside-note">{t.chainOutsideNote}</span>}
          </Typography.Paragraph>
          <Typography.Paragraph className="small" data-testid="cluster-name" data-cases={chain.caseIds.length}>
            <Typography.Text strong>{t.cluster}</Typography.Text> {mainEvent ? <span translate="no">{mainEvent.name}</span> : <span translate="no">{chain.naming.firstCase}</span>}{' · '}{t.clusterCases(chain.caseIds.length)}
          </Typography.Paragraph>
          {events.map((e) => (
            <Typography.Paragraph key={e.key} className="small" data-testid="exposure-event">
              <Typography.Text strong>{t.exposureEvent}</Typography.Text> <span translate="no">{e.name}</span> · <span style={{ whiteSpace: 'nowrap' }}>{clock(e.start)}</span> – <span style={{ whiteSpace: 'nowrap' }}>{clock(e.end)}</span>
              {e.enteredId !== null && may('links:write') && <Button type="link" size="small" onClick={() => setWithdrawing({ id: e.enteredId!, name: e.name })} data-testid="withdraw-event">{t.eventWithdraw}</Button>}
            </Typography.Paragraph>
          ))}
        </>
      ) : <Typography.Paragraph type="secondary" data-testid="chain-none">{t.chainNone}</Typography.Paragraph>}
      {verdict.isSuccess && <Alert type="success" showIcon style={{ marginBottom: 8 }} message={t.linkSaved} data-testid="link-saved" />}
      {/* A confirmed link of this case worth a second look, for as long as it stands (whoever confirmed it, and where). */}
      {chain && [...chain.links, ...chain.sourceLinks].filter((l) => l.infector === caseId || l.infectee === caseId).flatMap((l) => l.warnings.map((x) => (
        <Alert key={`${l.infector}-${l.infectee}-${x.code}`} type="warning" showIcon style={{ marginBottom: 8 }} data-testid="link-warning" data-infector={l.infector} data-infectee={l.infectee}
          message={keepWhole(t.onsetLater(l.infectorNo, clock(x.infectorOnset), l.infecteeNo, clock(x.infecteeOnset)), [l.infectorNo, l.infecteeNo])} />
      )))}
      {verdict.error && <Typography.Text type="danger" data-testid="link-error">{problem(w, verdict.error)}</Typography.Text>}
      <Table size="small" rowKey="infector" pagination={false} dataSource={candidates} locale={{ emptyText: inference?.sourceUnknown ? t.chainNoneNote : t.noCandidates }}
        title={() => t.candidates}
        onRow={(c) => ({ 'data-testid': 'candidate-row', 'data-infector': c.infector } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          // The case number on one line while it fits (a long one breaks rather than push the table past a phone's
          // width); the system's choice tagged under it (the actions keep to one line on a phone).
          {
            title: t.candidate, dataIndex: 'caseNo', render: (no: string, c) => (
              <>
                <span translate="no" style={no.length > CASE_NO_WHOLE ? { overflowWrap: 'anywhere' } : { whiteSpace: 'nowrap' }}>{no}</span>
                {confirmed === undefined && inference?.infector === c.infector && <div><Tag style={{ marginTop: 2, whiteSpace: 'nowrap' }}>{t.linkChosen}</Tag></div>}
              </>
            ),
          },
          // Once a source is confirmed, the likelihoods no longer apply: the confirmed one is the source, the others are not offered.
          { title: <span style={{ whiteSpace: 'nowrap' }}>{t.likelihood}</span>, key: 'likelihood', render: (_v, c) => (confirmed === undefined ? percentOf(c.likelihood) : '—') },
          {
            key: 'act', render: (_v, c) => (confirmed === c.infector
              ? (
                <Space size={4} wrap>
                  <Tag color="green" data-testid="link-confirmed">{t.linkConfirmed}</Tag>
                  {may('links:write') && own.has(c.infector) && <Button size="small" onClick={() => send({ infector: c.infector, verdict: 'cleared' })} data-testid="undo-link">{t.undoLink}</Button>}
                </Space>
              )
              : confirmed !== undefined
                ? <Typography.Text type="secondary" className="small" data-testid="link-other">{t.linkOther}</Typography.Text>
                // A case outside one's region cannot be named in a verdict (the server knows no such case for the actor).
                : !own.has(c.infector)
                  ? <Typography.Text type="secondary" className="small" data-testid="link-elsewhere">{t.linkElsewhere}</Typography.Text>
                  : (
                  <Space size={4}>
                    {may('links:write') && <Button size="small" type="primary" onClick={() => send({ infector: c.infector, verdict: 'confirmed' })} data-testid="confirm-link">{t.confirmLink}</Button>}
                    {may('links:write') && <Button size="small" danger onClick={() => send({ infector: c.infector, verdict: 'rejected' })} data-testid="reject-link">{t.rejectLink}</Button>}
                  </Space>
                )),
          },
        ]} />
      {rejected.length > 0 && (
        <div style={{ marginTop: 8 }} data-testid="rejected-links">
          <Typography.Text type="secondary" className="small">{t.rejectedSources}</Typography.Text>
          {rejected.map((l) => (
            <div key={l.infector} data-testid="rejected-link" data-infector={l.infector} style={{ display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', marginTop: 4 }}>
              <span translate="no" style={{ whiteSpace: 'nowrap' }}>{l.infectorNo}</span>
              <Typography.Text type="secondary" className="small">{t.rejectedAt(clock(l.enteredAt), l.enteredBy !== null)}{l.enteredBy && <> <span translate="no">{l.enteredBy.replace(/^[a-z]+:/, '')}</span></>}</Typography.Text>
              {may('links:write') && own.has(l.infector) && <Button size="small" onClick={() => send({ infector: l.infector, verdict: 'cleared' })} data-testid="undo-reject">{t.undoReject}</Button>}
            </div>
          ))}
        </div>
      )}
      {inference && inference.candidates.length > 0 && confirmed === undefined && (
        <Typography.Paragraph type="secondary" className="small" style={{ marginTop: 4 }} data-testid="source-unknown-chance">
          {t.sourceUnknownChance}: {percentOf(inference.sourceUnknownProbability)}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

export function CaseWorkbench() {
  const { w, may, session, lang } = useApp();
  const t = w.workbench;
  const param = useParams().id ?? '';
  // Only digits name a case (Number('0x2') would read 2).
  const id = /^\d{1,15}$/.test(param) ? Number(param) : Number.NaN;
  const narrow = !Grid.useBreakpoint().md;
  const found = useQuery({ queryKey: ['case', id, 'case'], queryFn: () => fetchCase(id), enabled: Number.isInteger(id) && id > 0 });
  const rows = useQuery({ queryKey: ['case', id, 'trajectory'], queryFn: () => fetchTrajectory(id), enabled: found.isSuccess });
  // A role that may not read contacts (a hospital's) has no contacts card: no request it would be refused.
  const contacts = useQuery({ queryKey: ['case', id, 'contacts'], queryFn: () => fetchCaseContacts(id), enabled: found.isSuccess && may('contacts:read') });
  const [adding, setAdding] = useState(false);
  const [publishing, setPublishing] = useState(false);
  /** What was just saved, said in the page's words whenever the language changes. */
  const [saved, setSaved] = useState<{ rows: number; close: number } | 'published'>();
  const [addingContact, setAddingContact] = useState(false);
  const [contactAdded, setContactAdded] = useState(false);
  const [kind, setKind] = useState<'all' | 'close' | 'secondary' | 'companion'>('all');
  const [setting, setSetting] = useState<string>();
  /** An export on its way, and why one was refused (said on the page in its language, not saved as a file). */
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<{ error: unknown }>();
  // An address that names no case id (/cases/abc, /cases/1.5) is answered as a case that does not exist, not loaded forever.
  if (!(Number.isInteger(id) && id > 0)) return <Alert type="error" showIcon style={{ marginTop: 12 }} message={codeText(w, 'NOT_FOUND')} data-testid="case-error" />;
  if (found.error) return <Alert type="error" showIcon style={{ marginTop: 12 }} message={problem(w, found.error)} data-testid="case-error" />;
  const c = found.data;
  if (!c) return <p>{w.loading}</p>;
  /** The settings the case's contacts were found in (a setting filter offers only these). */
  const settings = [...new Set((contacts.data?.items ?? []).flatMap((k) => k.evidence.map((e) => e.setting)))];
  const shown = (contacts.data?.items ?? []).filter((k) => (kind === 'all' || k.kind === kind) && (!setting || k.evidence.some((e) => e.setting === setting)));
  const place = (r: TrajectoryRowOut) => (r.place ? `${r.place.name}${r.seat ? ` ${r.carriage ? `${r.carriage}-` : ''}${r.seat}` : ''}` : r.placeText ?? '');
  const span = (r: { start: string; end: string }) => `${clock(r.start)} – ${clock(r.end).slice(0, 10) === clock(r.start).slice(0, 10) ? clock(r.end).slice(11) : clock(r.end)}`;
  const who = (k: ListedContactOut) => <span translate="no">{k.person ? `${k.person.name} · ${k.person.idMasked}` : `#${k.personId}`}</span>;
  const evidence = (k: ListedContactOut) => (
    <Space size={4} wrap>
      {k.evidence.map((e, i) => (
        <Tag key={i} data-testid="evidence" data-sources={e.sources.join(',')}>
          {t.settings[e.setting] ?? e.setting} · {t.minutes(e.minutes)} · {e.sources.map((s) => t.sources[s] ?? s).join(lang === 'en' ? ', ' : '、')}
        </Tag>
      ))}
    </Space>
  );
  /** The export takes what the list shows: the kind and setting chosen. */
  const exportFilter = { kind: kind === 'all' ? undefined : kind, setting };
  /** A case withdrawn as not a case (a correction): shown read-only, with when and why. */
  const withdrawn = c.withdrawnAt !== null;
  const exportAs = async (format: 'xlsx' | 'csv') => {
    setExporting(true);
    setExportError(undefined);
    try {
      await downloadCaseContacts(c.id, format, lang === 'en' ? 'en' : 'zh', exportFilter);
    } catch (e) {
      setExportError({ error: e });
    } finally {
      setExporting(false);
    }
  };
  const contactTools = (
      <Space size={4} wrap>
        {may('contacts:export') && <Button size="small" loading={exporting} onClick={() => void exportAs('xlsx')} data-testid="export-xlsx">{t.exportXlsx}</Button>}
        {may('contacts:export') && <Button size="small" loading={exporting} onClick={() => void exportAs('csv')} data-testid="export-csv">{t.exportCsv}</Button>}
        {may('contacts:add') && !withdrawn && <Button size="small" type="primary" onClick={() => setAddingContact(true)} data-testid="add-contact">{t.manual}</Button>}
      </Space>
  );
  return (
    <section className="single" data-testid="case-workbench" data-id={c.id}>
      <Card size="small" title={t.title(c.caseNo)}>
        {withdrawn && <Alert type="warning" showIcon style={{ marginBottom: 8 }} message={t.withdrawnNotice(clock(c.withdrawnAt!), c.withdrawalReason)} data-testid="case-withdrawn" />}
        <Descriptions size="small" column={narrow ? 1 : 4} items={[
          { key: 'kind', label: w.search.cols.kind, children: w.search.caseKinds[c.kind] ?? c.kind },
          { key: 'onset', label: t.onset, children: c.onsetAt ? clock(c.onsetAt) : t.none },
          { key: 'confirmed', label: t.confirmed, children: clock(c.confirmedAt) },
          { key: 'outcome', label: t.outcome, children: w.search.outcomes[c.outcome] ?? c.outcome },
        ]} />
      </Card>
      <InterviewCard caseId={c.id} caseKind={c.kind} narrow={narrow} readOnly={withdrawn} />
      <Card size="small" title={t.trajectory} data-testid="trajectory" data-rows={rows.data?.items.length ?? ''}
        extra={may('cases:investigate') && !withdrawn && (
          <Space size={4}>
            <Button size="small" onClick={() => setPublishing(true)} disabled={(rows.data?.items.length ?? 0) === 0} data-testid="publish">{t.publish}</Button>
            <Button size="small" type="primary" onClick={() => setAdding(true)} data-testid="add-row">{t.addRow}</Button>
          </Space>
        )}>
        {saved && <Alert type="success" showIcon closable style={{ marginBottom: 8 }} message={saved === 'published' ? t.published : t.saved(saved.rows, saved.close)} data-testid="row-saved" onClose={() => setSaved(undefined)} />}
        <Table<TrajectoryRowOut> size="small" rowKey="id" pagination={false} dataSource={rows.data?.items ?? []} loading={rows.isLoading} locale={{ emptyText: t.noRows }}
          onRow={(r) => ({ 'data-testid': 'trajectory-row', 'data-traced': String(r.traced) } as React.HTMLAttributes<HTMLElement>)}
          columns={narrow ? [
            { title: t.cols.place, key: 'all', render: (_v, r) => <div>{place(r)}<Typography.Text type="secondary" className="small" style={{ display: 'block' }}>{span(r)} · {r.activity ?? ''}</Typography.Text>{r.traced ? <Tag color="blue">{t.traced}</Tag> : <Tag>{t.untraced}</Tag>}</div> },
          ] : [
            { title: t.cols.time, key: 'time', render: (_v, r) => span(r) }, { title: t.cols.place, key: 'place', render: (_v, r) => place(r) },
            { title: t.cols.activity, dataIndex: 'activity' }, { title: t.cols.mask, dataIndex: 'mask', render: (m: string | null) => (m ? t.masks[m] : '') },
            { title: t.cols.peopleMet, dataIndex: 'peopleMet' },
            { title: t.cols.traced, dataIndex: 'traced', render: (x: boolean) => (x ? <Tag color="blue">{t.traced}</Tag> : <Tag>{t.untraced}</Tag>) },
          ]} />
      </Card>
      {may('contacts:read') && (
      <Card size="small" title={t.contacts} data-testid="case-contacts" extra={narrow ? undefined : contactTools}>
        {contacts.isError && <Alert type="error" showIcon style={{ marginBottom: 8 }} message={problem(w, contacts.error)} data-testid="contacts-error" />}
        {narrow && <div style={{ marginBottom: 8 }}>{contactTools}</div>}
        {(contacts.data?.outsideScope ?? 0) > 0 && kind === 'all' && !setting && (
          <Alert type="info" showIcon style={{ marginBottom: 8 }} message={t.outsideScope(contacts.data!.outsideScope)} data-testid="contacts-outside" data-count={contacts.data!.outsideScope} />
        )}
        {exportError && <Alert type="error" showIcon closable style={{ marginBottom: 8 }} message={problem(w, exportError.error)} data-testid="export-error" onClose={() => setExportError(undefined)} />}
        {contactAdded && <Alert type="success" showIcon closable style={{ marginBottom: 8 }} message={t.manualSaved} data-testid="contact-saved" onClose={() => setContactAdded(false)} />}
        {narrow
          ? <Select<typeof kind> value={kind} onChange={setKind} style={{ marginBottom: 8, width: '100%' }} options={(['all', 'close', 'secondary', 'companion'] as const).map((k) => ({ value: k, label: t.kinds[k] }))} data-testid="contact-kind" />
          : <Segmented<typeof kind> value={kind} onChange={setKind} style={{ marginBottom: 8, marginRight: 8 }} options={(['all', 'close', 'secondary', 'companion'] as const).map((k) => ({ value: k, label: t.kinds[k] }))} data-testid="contact-kind" />}
        {settings.length > 1 && (
          <Select allowClear value={setting} onChange={setSetting} placeholder={t.settingFilter} style={{ marginBottom: 8, width: narrow ? '100%' : 200 }} data-testid="contact-setting"
            options={settings.map((x) => ({ value: x, label: t.settings[x] ?? x }))} />
        )}
        <Table<ListedContactOut> size="small" rowKey="id" pagination={{ pageSize: 20, hideOnSinglePage: true }} dataSource={shown} loading={contacts.isLoading} locale={{ emptyText: t.noContacts }}
          onRow={(k) => ({ 'data-testid': 'contact-row', 'data-person': k.personId, 'data-kind': k.kind } as React.HTMLAttributes<HTMLElement>)}
          columns={narrow ? [
            { title: t.contactCols.person, key: 'all', render: (_v, k) => <div>{who(k)} · {t.kinds[k.kind]}<Typography.Text type="secondary" className="small" style={{ display: 'block' }}>{span({ start: k.firstExposure, end: k.lastExposure })}</Typography.Text>{evidence(k)}</div> },
          ] : [
            { title: t.contactCols.person, key: 'person', render: (_v, k) => who(k) }, { title: t.contactCols.kind, dataIndex: 'kind', render: (x: string) => t.kinds[x] ?? x },
            { title: t.contactCols.exposure, key: 'exposure', render: (_v, k) => span({ start: k.firstExposure, end: k.lastExposure }) },
            { title: t.contactCols.evidence, key: 'evidence', render: (_v, k) => evidence(k) },
            { title: t.contactCols.status, dataIndex: 'status', render: (x: string) => t.statuses[x] ?? x },
          ]} />
      </Card>
      )}
      {/* A withdrawn case is out of the chains: its card would show a case that is not there. */}
      {may('chains:read') && !withdrawn && <ChainCard caseId={c.id} narrow={narrow} />}
      <PublishDialog caseId={c.id} open={publishing} onClose={() => setPublishing(false)} onPublished={() => setSaved('published')}
        defaultTitle={t.defaultTitle(session?.user.regionName ?? '', chinaToday().format(lang === 'en' ? 'D MMM' : 'M月D日'))} />
      <ManualContactDialog caseId={c.id} caseNo={c.caseNo} closeContacts={(contacts.data?.items ?? []).filter((k) => k.kind === 'close')} open={addingContact}
        onClose={() => setAddingContact(false)} onSaved={() => setContactAdded(true)} />
      <AddRowDialog caseId={c.id} open={adding} onClose={() => setAdding(false)} onSaved={(n, close) => setSaved({ rows: n, close })} />
    </section>
  );
}
