/**
 * The public's "was a case on my trip?" (no sign-in, phone first): a train or flight by its number and date, or a
 * venue found by name with the time one was there. The answer names case numbers, places and times only.
 */
import { useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, Result, Segmented, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { Link } from 'react-router';
import { ApiError, findVenues, sameTripAtVenue, sameTripByNumber, type PublicExposure, type SameTrip } from '../api.ts';
import { clock, problem, useApp } from '../context.ts';

export function SameTripPage() {
  const { w } = useApp();
  const t = w.check;
  const [by, setBy] = useState<'trip' | 'venue'>('trip');
  const [venueText, setVenueText] = useState('');
  const venues = useQuery({ queryKey: ['venues', venueText], queryFn: () => findVenues(venueText), enabled: venueText.trim().length > 0, staleTime: 60_000 });
  type Values = { number?: string; date?: Dayjs; venue?: string; from?: string; to?: string };
  const [form] = Form.useForm<Values>();
  const check = useMutation({
    mutationFn: (v: Values): Promise<SameTrip> => (by === 'trip'
      ? sameTripByNumber(v.number!.trim(), v.date!.format('YYYY-MM-DD'))
      : sameTripAtVenue(v.venue!, `${v.date!.format('YYYY-MM-DD')} ${v.from}`, `${v.date!.format('YYYY-MM-DD')} ${v.to}`)),
  });
  const notFound = check.error instanceof ApiError && check.error.code === 'NOT_FOUND';
  const res = check.data;
  return (
    <section className="single narrow-page" data-testid="same-trip-page">
      <Card size="small" title={t.title}>
        <Typography.Paragraph type="secondary">{t.intro}</Typography.Paragraph>
        <Segmented<'trip' | 'venue'> block value={by} onChange={(v) => { setBy(v); check.reset(); }} options={[{ value: 'trip', label: t.byTrip }, { value: 'venue', label: t.byVenue }]}
          style={{ marginBottom: 12 }} data-testid="same-trip-by" />
        <Form form={form} layout="vertical" onFinish={(v) => check.mutate(v)} onFinishFailed={() => check.reset()} data-testid="same-trip-form">
          {by === 'trip' ? (
            <>
              <Form.Item name="number" label={t.number} rules={[{ required: true, pattern: /^\s*[A-Za-z0-9]{2,12}\s*$/, message: t.numberRequired }]}>
                <Input placeholder={t.numberPlaceholder} maxLength={14} autoCapitalize="characters" data-testid="same-trip-number" />
              </Form.Item>
              <Form.Item name="date" label={t.date} rules={[{ required: true, message: t.dateRequired }]}>
                <DatePicker style={{ width: '100%' }} data-testid="same-trip-date" />
              </Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="venue" label={t.venue} rules={[{ required: true, message: t.venuePlaceholder }]}>
                <Select showSearch filterOption={false} onSearch={setVenueText} placeholder={t.venuePlaceholder} notFoundContent={null} data-testid="same-trip-venue"
                  options={(venues.data?.items ?? []).map((v) => ({ value: v.code, label: <span translate="no">{v.name}（{w.search.categories[v.category] ?? v.category}）</span> }))} />
              </Form.Item>
              {/* The day, then the times as a phone types them: a picker of a month and its hours side by side is wider than a phone. */}
              <Form.Item name="date" label={t.date} rules={[{ required: true, message: t.dateRequired }]}>
                <DatePicker style={{ width: '100%' }} data-testid="same-trip-venue-date" />
              </Form.Item>
              <Space.Compact block>
                <Form.Item name="from" label={t.from} rules={[{ required: true, pattern: /^\d{2}:\d{2}$/, message: t.timeRequired }]} style={{ flex: 1 }}>
                  <Input type="time" data-testid="same-trip-from" />
                </Form.Item>
                <Form.Item name="to" label={t.to} dependencies={['from']} style={{ flex: 1 }} rules={[{ required: true, pattern: /^\d{2}:\d{2}$/, message: t.timeRequired },
                  ({ getFieldValue }) => ({ validator: (_, to?: string) => (!to || !getFieldValue('from') || to > getFieldValue('from') ? Promise.resolve() : Promise.reject(new Error(t.toAfterFrom))) })]}>
                  <Input type="time" data-testid="same-trip-to" />
                </Form.Item>
              </Space.Compact>
            </>
          )}
          <Button type="primary" htmlType="submit" block loading={check.isPending} data-testid="same-trip-go">{t.go}</Button>
        </Form>
      </Card>
      {notFound && <Alert style={{ marginTop: 12 }} type="warning" showIcon message={t.notFound} data-testid="same-trip-unknown" />}
      {check.error && !notFound && <Alert style={{ marginTop: 12 }} type="error" showIcon message={problem(w, check.error)} />}
      {res && (
        <Card size="small" style={{ marginTop: 12 }} data-testid="same-trip-answer" data-cases={res.casesPresent}>
          <Result status={res.casesPresent > 0 ? 'warning' : 'success'} title={<span translate="no">{res.place.name}</span>} subTitle={res.casesPresent > 0 ? t.found(res.casesPresent) : t.clear} style={{ padding: 8 }} />
          {res.exposures.length > 0 && (
            <Table<PublicExposure> size="small" rowKey={(r) => `${r.caseNo}-${r.overlapStart}`} pagination={false} dataSource={res.exposures}
              onRow={() => ({ 'data-testid': 'same-trip-row' } as React.HTMLAttributes<HTMLElement>)}
              columns={[{ title: t.cols.caseNo, dataIndex: 'caseNo' }, { title: t.cols.from, dataIndex: 'overlapStart', render: (v: string) => clock(v) }, { title: t.cols.to, dataIndex: 'overlapEnd', render: (v: string) => clock(v) }]} />
          )}
        </Card>
      )}
      <p style={{ marginTop: 12 }}><Link to="/" data-testid="same-trip-back">{t.back}</Link></p>
    </section>
  );
}
