/**
 * The public's trajectory notices (`/notices`, no sign-in, phone first): notices in force, newest first, each with
 * its places and time windows; a box finds those naming a place, train or flight.
 */
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Input, List, Typography } from 'antd';
import { Link } from 'react-router';
import { fetchNotices, type NoticeOut } from '../api.ts';
import { clock, problem, useApp } from '../context.ts';

export function NoticesPage() {
  const { w } = useApp();
  const t = w.notices;
  const [q, setQ] = useState('');
  const notices = useQuery({ queryKey: ['notices', q], queryFn: () => fetchNotices(q.trim() || undefined) });
  const span = (x: NoticeOut['items'][number]) => `${clock(x.start)} – ${clock(x.end).slice(0, 10) === clock(x.start).slice(0, 10) ? clock(x.end).slice(11) : clock(x.end)}`;
  return (
    <section className="single narrow-page" data-testid="notices-page">
      <Card size="small" title={t.title}>
        <Typography.Paragraph type="secondary">{t.intro}</Typography.Paragraph>
        <Input.Search allowClear placeholder={t.search} onSearch={setQ} enterButton data-testid="notices-search" maxLength={100} />
      </Card>
      {notices.error && <Alert type="error" showIcon message={problem(w, notices.error)} />}
      <div data-testid="notices-list" data-q={q} data-count={notices.data?.items.length ?? ''}>
        {notices.data?.items.length === 0 && <Card size="small"><Typography.Text type="secondary">{t.none}</Typography.Text></Card>}
        {notices.data?.items.map((n) => (
          <Card key={n.id} size="small" style={{ marginBottom: 12 }} data-testid="notice"
            title={<div style={{ whiteSpace: 'normal', padding: '6px 0' }}>{n.title}<Typography.Text type="secondary" className="small" style={{ display: 'block', fontWeight: 400 }}>{t.published(clock(n.publishedAt))}</Typography.Text></div>}>
            <List size="small" dataSource={n.items} renderItem={(x) => (
              <List.Item data-testid="notice-item">
                <List.Item.Meta title={`${x.place}${x.carriage ? ` ${t.carriage(x.carriage)}` : ''}`} description={span(x)} />
              </List.Item>
            )} />
          </Card>
        ))}
      </div>
      <p><Link to="/check" data-testid="notices-check">{w.check.title}</Link> · <Link to="/">{w.check.back}</Link></p>
    </section>
  );
}
