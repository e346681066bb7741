/**
 * A case's interview (流调表) on its page: the deadline (the edition's hours after confirmation; late in red), the
 * protocol's sections as one form, saved as a draft or completed. A save names the version it was made from; when
 * someone else saved in between, the page says so and keeps what was typed until the investigator reloads.
 */
import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, DatePicker, Form, Input, InputNumber, Row, Select, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, fetchInterview, fetchTemperatureRange, saveInterview, type InterviewAnswersIn, type InterviewOut } from '../api.ts';
import { clock, problem, useApp, useOneAtATime } from '../context.ts';
import { CLINICAL_TYPES, SIGNS } from '../workbench.ts';


interface Values {
  occupation?: string; workplace?: string; householdSize?: number | null;
  symptoms?: string[]; maxTemperature?: number | null; firstCareAt?: Dayjs | null; careSeeking?: string;
  doses?: number | null; lastDoseDate?: Dayjs | null; ctValue?: number | null; labNotes?: string;
  suspectedSource?: string; exposureNotes?: string; clinicalType?: string; diagnosisNotes?: string;
}

const text = (x?: string) => (x?.trim() ? x.trim() : undefined);
const num = (x?: number | null) => (x === null || x === undefined ? undefined : x);
/** Drops a section with nothing in it. */
const section = <T extends object>(o: T): T | undefined => (Object.values(o).some((v) => v !== undefined) ? o : undefined);

/** The form's values as the API takes them (empty fields left out). */
export function answersOf(v: Values): InterviewAnswersIn {
  return {
    demographics: section({ occupation: text(v.occupation), workplace: text(v.workplace), householdSize: num(v.householdSize) }),
    onset: section({ symptoms: v.symptoms as NonNullable<InterviewAnswersIn['onset']>['symptoms'], maxTemperature: num(v.maxTemperature), firstCareAt: v.firstCareAt ? v.firstCareAt.format('YYYY-MM-DD HH:mm') : undefined, careSeeking: text(v.careSeeking) }),
    vaccination: section({ doses: num(v.doses), lastDoseDate: v.lastDoseDate ? v.lastDoseDate.format('YYYY-MM-DD') : undefined }),
    lab: section({ ctValue: num(v.ctValue), notes: text(v.labNotes) }),
    exposures: section({ suspectedSource: text(v.suspectedSource), notes: text(v.exposureNotes) }),
    diagnosis: section({ clinicalType: v.clinicalType as NonNullable<InterviewAnswersIn['diagnosis']>['clinicalType'], notes: text(v.diagnosisNotes) }),
  };
}

/** The stored answers as the form's values. */
function valuesOf(i: InterviewOut): Values {
  const a = i.answers;
  return {
    occupation: a.demographics?.occupation, workplace: a.demographics?.workplace, householdSize: a.demographics?.householdSize,
    symptoms: a.onset?.symptoms ?? [], maxTemperature: a.onset?.maxTemperature, firstCareAt: a.onset?.firstCareAt ? dayjs(clock(a.onset.firstCareAt)) : null, careSeeking: a.onset?.careSeeking,
    doses: a.vaccination?.doses, lastDoseDate: a.vaccination?.lastDoseDate ? dayjs(a.vaccination.lastDoseDate) : null, ctValue: a.lab?.ctValue, labNotes: a.lab?.notes,
    suspectedSource: a.exposures?.suspectedSource, exposureNotes: a.exposures?.notes, clinicalType: a.diagnosis?.clinicalType, diagnosisNotes: a.diagnosis?.notes,
  };
}

/** Where the interview stands against its deadline, in words and colour. */
function Deadline({ i }: { i: InterviewOut }) {
  const { w } = useApp();
  const t = w.workbench;
  if (i.completedAt) return <Tag color={i.late ? 'orange' : 'green'} data-testid="interview-state" data-state="completed">{t.completedOn(clock(i.completedAt), i.late)}</Tag>;
  const hours = Math.round(Math.abs(Date.parse(i.dueAt) - Date.now()) / 3_600_000);
  return i.late
    ? <Tag color="red" data-testid="interview-state" data-state="overdue">{t.overdue(clock(i.dueAt), hours)}</Tag>
    : <Tag color="blue" data-testid="interview-state" data-state="open">{t.due(clock(i.dueAt), hours)}</Tag>;
}

/** `caseKind`: the case's kind, which settles the clinical types offered (asymptomatic only for an asymptomatic infection). */
export function InterviewCard({ caseId, caseKind, narrow, readOnly = false }: { caseId: number; caseKind: 'confirmed' | 'asymptomatic'; narrow: boolean; readOnly?: boolean }) {
  const { w, may } = useApp();
  const t = w.workbench;
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const found = useQuery({ queryKey: ['case', caseId, 'interview'], queryFn: () => fetchInterview(caseId) });
  /** The plausible body temperatures of the edition in force: a value outside them is said, not silently changed. */
  const temperatures = useQuery({ queryKey: ['protocol', 'temperature'], queryFn: fetchTemperatureRange, staleTime: Infinity });
  const types = CLINICAL_TYPES.filter((k) => (caseKind === 'asymptomatic') === (k === 'asymptomatic'));
  const [said, setSaid] = useState<'draft' | 'completed'>();
  const [completing, setCompleting] = useState(false);
  const i = found.data;
  // The stored answers fill the form when read (again after a reload); not while the investigator types.
  const version = i?.version;
  useEffect(() => { if (i) form.setFieldsValue(valuesOf(i)); }, [version]);
  const save = useMutation({
    mutationFn: (v: { values: Values; complete: boolean }) => saveInterview(caseId, { answers: answersOf(v.values), version: i!.version, complete: v.complete }),
    onSuccess: (saved, v) => { client.setQueryData(['case', caseId, 'interview'], saved); setSaid(v.complete ? 'completed' : 'draft'); },
  });
  const submit = useOneAtATime(save.mutate);
  // A withdrawn case's interview is closed (the API refuses it: CASE_WITHDRAWN): shown, not edited.
  const editable = may('cases:investigate') && !readOnly;
  const required = completing || Boolean(i?.completedAt);
  const rule = { required, message: t.required };
  /** A number within its bounds (a whole one when `whole`), said at the field when it is not: never rounded or clamped unseen. */
  const within = (min: number, max: number, whole = false) => ({
    validator: (_r: unknown, v?: number | null) => (v === undefined || v === null || (v >= min && v <= max && (!whole || Number.isInteger(v)))
      ? Promise.resolve() : Promise.reject(new Error(whole ? t.wholeWithin(min, max) : t.within(min, max)))),
  });
  /** Saves; completing (or correcting a completed interview) checks the required answers on the form first. */
  const send = (complete: boolean) => {
    setCompleting(complete);
    // After the required marks are on (the next render).
    setTimeout(() => {
      // A draft is checked too (the bounds of its numbers); only completing makes the answers required.
      const checked = form.validateFields();
      checked.then((values) => submit({ values, complete })).catch(() => undefined);
    }, 0);
  };
  const stale = save.error instanceof ApiError && save.error.code === 'STALE_VERSION';
  const half = narrow ? 24 : 12;
  const third = narrow ? 24 : 8;
  return (
    <Card size="small" title={t.interview} data-testid="interview" data-version={i?.version ?? ''} loading={found.isLoading} extra={!narrow && i && !readOnly && <Deadline i={i} />}>
      {/* A withdrawn case's interview has no deadline left to meet. */}
      {narrow && i && !readOnly && <div style={{ marginBottom: 8 }}><Deadline i={i} /></div>}
      {i && (
        <Form form={form} layout="vertical" disabled={!editable} data-testid="interview-form" onValuesChange={() => setSaid(undefined)}>
          <Typography.Title level={5}>{t.sections.demographics}</Typography.Title>
          <Row gutter={12}>
            <Col span={third}><Form.Item name="occupation" label={t.occupation} rules={[{ max: 100 }]}><Input /></Form.Item></Col>
            <Col span={third}><Form.Item name="workplace" label={t.workplace} rules={[{ max: 200 }]}><Input /></Form.Item></Col>
            <Col span={third}><Form.Item name="householdSize" label={t.householdSize} rules={[within(1, 50, true)]}><InputNumber style={{ width: '100%' }} data-testid="interview-household" /></Form.Item></Col>
          </Row>
          <Typography.Title level={5}>{t.sections.onset}</Typography.Title>
          <Form.Item name="symptoms" label={t.symptoms} extra={t.noSymptoms}>
            <Select mode="multiple" allowClear optionFilterProp="label" options={SIGNS.map((k) => ({ value: k, label: k === 'fever' ? w.followUp.fever : w.followUp.symptomNames[k] }))} data-testid="interview-symptoms" />
          </Form.Item>
          <Row gutter={12}>
            <Col span={third}><Form.Item name="maxTemperature" label={t.maxTemperature} rules={[{ validator: (_r, v?: number | null) => {
              const range = temperatures.data;
              return v === undefined || v === null || !range || (v >= range.min && v <= range.max) ? Promise.resolve() : Promise.reject(new Error(t.temperatureRange(range.min, range.max)));
            } }]}><InputNumber step={0.1} precision={1} style={{ width: '100%' }} data-testid="interview-temperature" /></Form.Item></Col>
            <Col span={third}><Form.Item name="firstCareAt" label={t.firstCareAt}><DatePicker showTime={{ format: 'HH:mm' }} format={['YYYY-MM-DD HH:mm', 'YYYY-MM-DD']} placeholder={t.dateTime} style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} data-testid="interview-first-care" /></Form.Item></Col>
            <Col span={third}><Form.Item name="careSeeking" label={t.careSeeking} rules={[{ max: 500 }]}><Input /></Form.Item></Col>
          </Row>
          <Row gutter={12}>
            <Col span={half}>
              <Typography.Title level={5}>{t.sections.vaccination}</Typography.Title>
              <Space.Compact block>
                <Form.Item name="doses" label={t.doses} rules={[rule, within(0, 5, true)]} style={{ flex: 1 }}><InputNumber style={{ width: '100%' }} data-testid="interview-doses" /></Form.Item>
                <Form.Item name="lastDoseDate" label={t.lastDoseDate} style={{ flex: 2 }}><DatePicker style={{ width: '100%' }} disabledDate={(d) => d.isAfter(dayjs(), 'day')} /></Form.Item>
              </Space.Compact>
            </Col>
            <Col span={half}>
              <Typography.Title level={5}>{t.sections.lab}</Typography.Title>
              <Space.Compact block>
                <Form.Item name="ctValue" label={t.ctValue} rules={[within(5, 45)]} style={{ flex: 1 }}><InputNumber step={0.1} style={{ width: '100%' }} data-testid="interview-ct" /></Form.Item>
                <Form.Item name="labNotes" label={t.labNotes} rules={[{ max: 1000 }]} style={{ flex: 2 }}><Input /></Form.Item>
              </Space.Compact>
            </Col>
          </Row>
          <Typography.Title level={5}>{t.sections.exposures(i.exposuresFrom.slice(0, 10))}</Typography.Title>
          <Form.Item name="suspectedSource" label={t.suspectedSource} dependencies={['exposureNotes']}
            rules={[{ max: 500 }, ({ getFieldValue }) => ({ validator: (_r, v?: string) => (required && !v?.trim() && !String(getFieldValue('exposureNotes') ?? '').trim() ? Promise.reject(new Error(t.sourceOrNotes)) : Promise.resolve()) })]}><Input data-testid="interview-source" /></Form.Item>
          <Form.Item name="exposureNotes" label={t.exposureNotes} rules={[{ max: 2000 }]}><Input.TextArea rows={2} /></Form.Item>
          <Typography.Title level={5}>{t.sections.diagnosis}</Typography.Title>
          <Row gutter={12}>
            <Col span={third}>
              <Form.Item name="clinicalType" label={t.clinicalType} rules={[rule]}>
                <Select options={types.map((k) => ({ value: k, label: t.clinicalTypes[k] }))} data-testid="interview-type" />
              </Form.Item>
            </Col>
            <Col span={narrow ? 24 : 16}><Form.Item name="diagnosisNotes" label={t.diagnosisNotes} rules={[{ max: 1000 }]}><Input /></Form.Item></Col>
          </Row>
          {said && <Alert type="success" showIcon style={{ marginBottom: 8 }} message={said === 'completed' ? t.completedNow : t.draftSaved} data-testid="interview-saved" />}
          {save.error && (
            <Alert type="error" showIcon style={{ marginBottom: 8 }} data-testid="interview-error" message={stale ? t.stale : problem(w, save.error)}
              action={stale ? <Button size="small" onClick={() => { save.reset(); void found.refetch().then((r) => r.data && form.setFieldsValue(valuesOf(r.data))); }}>{t.reload}</Button> : undefined} />
          )}
          {editable && (
            <Space wrap>
              <Button onClick={() => send(false)} loading={save.isPending} data-testid="interview-draft">{t.saveDraft}</Button>
              {!i.completedAt && <Button type="primary" onClick={() => send(true)} loading={save.isPending} data-testid="interview-complete">{t.complete}</Button>}
            </Space>
          )}
        </Form>
      )}
    </Card>
  );
}
