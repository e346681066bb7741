/**
 * The daily bulletin (/bulletin?date=YYYY-MM-DD, today by default): the day's paragraph in the page's language, its
 * figures by city, and the controls (another day, print, the text export) that printing leaves out.
 */
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Descriptions, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { ApiError, bulletinTextUrl, fetchBulletin, type Bulletin } from '../api.ts';
import { clock, useApp } from '../context.ts';

type CityCount = Bulletin['figures']['newConfirmed']['byCity'][number];

export function BulletinPage() {
  const { w, lang } = useApp();
  const t = w.bulletin;
  const [params, setParams] = useSearchParams();
  const date = params.get('date') ?? undefined;
  const q = useQuery({ queryKey: ['bulletin', date], queryFn: () => fetchBulletin(date), refetchInterval: date ? false : 60_000 });
  if (q.isError) {
    const e = q.error instanceof ApiError ? q.error : null;
    const why = e?.status === 404 ? t.notYet : e?.code === 'VALIDATION_FAILED' ? t.badDate : e?.code === 'TIME_IMPLAUSIBLE' ? t.tooEarly : w.errorOther;
    return <Alert type="error" showIcon title={why} data-testid="bulletin-error" />;
  }
  const b = q.data;
  if (!b) return <p>{w.loading}</p>;
  const f = b.figures;
  const city = (c: CityCount) => (lang === 'en' ? c.nameEn : c.name);
  const cities = [...new Set([...f.newConfirmed.byCity, ...f.newAsymptomatic.byCity].map((c) => c.cityCode))].sort().map((code) => {
    const conf = f.newConfirmed.byCity.find((c) => c.cityCode === code);
    const asym = f.newAsymptomatic.byCity.find((c) => c.cityCode === code);
    return { code, name: city((conf ?? asym)!), confirmed: conf?.count ?? 0, asymptomatic: asym?.count ?? 0 };
  });
  return (
    <div className="bulletin" data-testid="bulletin" data-date={b.date} data-final={b.final}>
      <Space wrap className="no-print" style={{ marginBottom: 12 }}>
        <DatePicker value={dayjs(b.date)} allowClear={false} disabledDate={(d) => d.isAfter(dayjs(), 'day')} onChange={(d) => d && setParams({ date: d.format('YYYY-MM-DD') })} data-testid="bulletin-date" />
        <Button onClick={() => window.print()} data-testid="bulletin-print">{t.print}</Button>
        <Button href={bulletinTextUrl(b.date)} target="_blank" data-testid="bulletin-text">{t.exportText}</Button>
      </Space>
      <Card>
        <Typography.Title level={3} style={{ textAlign: 'center' }} data-testid="bulletin-title">{t.title(b.date)}</Typography.Title>
        <div style={{ textAlign: 'center', marginBottom: 12 }}>
          {b.final ? <Tag color="green">{t.final}</Tag> : <Tag color="gold" data-testid="bulletin-provisional">{t.provisional(clock(b.generatedAt))}</Tag>}
        </div>
        <Typography.Paragraph className="bulletin-text" data-testid="bulletin-paragraph">{lang === 'en' ? b.textEn : b.textZh}</Typography.Paragraph>
        <Descriptions size="small" bordered column={{ xs: 1, md: 2 }} style={{ marginTop: 16 }} items={[
          { key: 'c', label: t.newConfirmed, children: <span data-testid="fig-newConfirmed">{f.newConfirmed.total}</span> },
          { key: 'a', label: t.newAsymptomatic, children: <span data-testid="fig-newAsymptomatic">{f.newAsymptomatic.total}</span> },
          { key: 'cc', label: t.cumulative, children: `${f.cumulative.confirmed} / ${f.cumulative.asymptomatic}` },
          { key: 'k', label: t.closeContacts, children: `${f.closeContacts.traced} / ${f.closeContacts.underObservation}` },
          { key: 'q', label: t.inQuarantine, children: f.inQuarantine },
          { key: 's', label: t.samples, children: f.samplesTaken },
          { key: 'r', label: t.riskAreas, children: `${f.riskAreas.high} / ${f.riskAreas.medium}` },
          { key: 'd', label: t.measures, children: `${f.directivesIssued} / ${f.tasksCompleted}` },
        ]} />
        {cities.length > 0 && (
          <Table size="small" rowKey="code" pagination={false} style={{ marginTop: 16 }} data-testid="bulletin-cities" dataSource={cities}
            columns={[{ title: t.city, dataIndex: 'name' }, { title: t.newConfirmed, dataIndex: 'confirmed', align: 'right' }, { title: t.newAsymptomatic, dataIndex: 'asymptomatic', align: 'right' }]} />
        )}
      </Card>
    </div>
  );
}
