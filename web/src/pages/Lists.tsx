/**
 * Lists (/lists), for staff: the cases, contacts and persons within the actor's region, 50 a page (keyset paging:
 * previous and next, never a count of a million), filtered by region (chosen level by level from one's own) and
 * status (a case's outcome, a contact's status, a person's health code colour) and kind; each list exported as XLSX or CSV with the same filter
 * (masked and audited by the server; more than 50,000 rows is refused, said on the page). Which lists show follows the
 * role's actions.
 */
import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Cascader, Grid, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import {
  downloadListExport, fetchCaseList, fetchContactList, fetchPersonList,
  type CaseListFilter, type CaseOut, type ContactListFilter, type ListedContactOut, type ListedPersonOut, type ListName, type PersonListFilter,
} from '../api.ts';
import { clock, problem, useApp } from '../context.ts';
import { useUnits, type UnitOption } from './Supervision.tsx';

/** The list's filter as the API takes it (region: the unit chosen last). */
interface Filter { region?: string; status?: string; kind?: string }

const STATUS_PARAM: Record<ListName, 'outcome' | 'status' | 'colour'> = { cases: 'outcome', contacts: 'status', persons: 'colour' };
const COLOUR_TAGS: Record<string, string> = { green: 'green', yellow: 'gold', red: 'red' };

export function ListsPage() {
  const { w, may, session, lang } = useApp();
  const t = w.lists;
  const lists = ([['cases', 'cases:read'], ['contacts', 'contacts:read'], ['persons', 'persons:read']] as const).filter(([, a]) => may(a)).map(([k]) => k);
  const [list, setList] = useState<ListName>(lists[0] ?? 'cases');
  const [unit, setUnit] = useState<string[]>([]);
  const [status, setStatus] = useState<string>();
  const [kind, setKind] = useState<string>();
  /** The cursors of the pages seen so far: the first page starts after 0. */
  const [cursors, setCursors] = useState<number[]>([0]);
  const [exporting, setExporting] = useState(false);
  const [exportNote, setExportNote] = useState<{ ok: true } | { ok: false; error: unknown }>();
  const units = useUnits(session?.user.region ?? '43');
  const narrow = !Grid.useBreakpoint().md;
  const filter: Filter = { region: unit[unit.length - 1], status, kind };
  const after = cursors[cursors.length - 1];
  const reset = () => { setCursors([0]); setExportNote(undefined); };
  const page = useQuery({
    queryKey: ['list', list, filter, after],
    queryFn: async (): Promise<{ items: (CaseOut | ListedContactOut | ListedPersonOut)[]; nextAfter: number | null }> => {
      // The selects offer only the schema's values (the words of each vocabulary), so their choice is of its type.
      if (list === 'cases') return fetchCaseList({ region: filter.region, outcome: status as CaseListFilter['outcome'], kind: kind as CaseListFilter['kind'] }, after || undefined);
      if (list === 'contacts') return fetchContactList({ region: filter.region, status: status as ContactListFilter['status'], kind: kind as ContactListFilter['kind'] }, after || undefined);
      return fetchPersonList({ region: filter.region, colour: status as PersonListFilter['colour'] }, after || undefined);
    },
    placeholderData: (prev) => prev,
  });
  const exportAs = async (format: 'xlsx' | 'csv') => {
    setExporting(true);
    setExportNote(undefined);
    const param = STATUS_PARAM[list];
    try {
      await downloadListExport(list, { region: filter.region, [param]: status, ...(list !== 'persons' ? { kind } : {}) }, format, lang === 'en' ? 'en' : 'zh');
      setExportNote({ ok: true });
    } catch (e) {
      setExportNote({ ok: false, error: e });
    } finally {
      setExporting(false);
    }
  };
  const statusOptions = list === 'cases' ? w.search.outcomes : list === 'contacts' ? w.workbench.statuses : w.lists.colours;
  const kindOptions = list === 'cases' ? w.search.caseKinds : list === 'contacts' ? w.workbench.kinds : null;
  const options = (words: Record<string, string>) => Object.entries(words).filter(([k]) => k !== 'all').map(([value, label]) => ({ value, label }));
  const mayExport = may(`${list}:export` as Parameters<typeof may>[0]);
  const rows = page.data?.items ?? [];
  const caseColumns = [
    { title: t.cols.caseNo, key: 'caseNo', render: (_: unknown, r: CaseOut) => <Link to={`/cases/${r.id}`} data-testid="open-case">{r.caseNo}</Link> },
    { title: t.cols.kind, key: 'kind', render: (_: unknown, r: CaseOut) => w.search.caseKinds[r.kind] ?? r.kind },
    { title: t.cols.confirmedAt, key: 'confirmedAt', render: (_: unknown, r: CaseOut) => clock(r.confirmedAt) },
    ...(narrow ? [] : [{ title: t.cols.outcome, key: 'outcome', render: (_: unknown, r: CaseOut) => w.search.outcomes[r.outcome] ?? r.outcome }]),
  ];
  const contactColumns = [
    { title: t.cols.name, key: 'name', render: (_: unknown, r: ListedContactOut) => (narrow ? <div>{r.person?.name} · {r.person?.idMasked}</div> : r.person?.name) },
    ...(narrow ? [] : [{ title: t.cols.idMasked, key: 'id', render: (_: unknown, r: ListedContactOut) => r.person?.idMasked }]),
    { title: t.cols.kind, key: 'kind', render: (_: unknown, r: ListedContactOut) => <Tag>{w.workbench.kinds[r.kind] ?? r.kind}</Tag> },
    { title: t.cols.case, key: 'case', render: (_: unknown, r: ListedContactOut) => <Link to={`/cases/${r.indexCaseId}`}>{r.indexCaseNo ?? t.caseOf(r.indexCaseId)}</Link> },
    ...(narrow ? [] : [{ title: t.cols.lastExposure, key: 'last', render: (_: unknown, r: ListedContactOut) => clock(r.lastExposure) }]),
    { title: t.cols.status, key: 'status', render: (_: unknown, r: ListedContactOut) => w.workbench.statuses[r.status] ?? r.status },
  ];
  const personColumns = narrow ? [
    { title: t.cols.name, key: 'who', render: (_: unknown, r: ListedPersonOut) => <div>{r.name} · {r.idMasked}<Typography.Text type="secondary" className="small" style={{ display: 'block' }}>{r.phone ?? ''} · {r.gridName ?? r.communityName ?? r.communityCode}</Typography.Text></div> },
    { title: t.cols.code, key: 'code', render: (_: unknown, r: ListedPersonOut) => <Tag color={COLOUR_TAGS[r.codeColour]} data-testid="person-code">{t.colours[r.codeColour]}</Tag> },
  ] : [
    { title: t.cols.name, key: 'name', render: (_: unknown, r: ListedPersonOut) => r.name }, { title: t.cols.idMasked, key: 'id', render: (_: unknown, r: ListedPersonOut) => r.idMasked },
    { title: t.cols.sex, key: 'sex', render: (_: unknown, r: ListedPersonOut) => w.search.sexes[r.sex] ?? r.sex }, { title: t.cols.birth, key: 'birth', render: (_: unknown, r: ListedPersonOut) => w.search.decade(r.birthDecade) },
    { title: t.cols.phone, key: 'phone', render: (_: unknown, r: ListedPersonOut) => r.phone ?? '' },
    { title: t.cols.code, key: 'code', render: (_: unknown, r: ListedPersonOut) => <Tag color={COLOUR_TAGS[r.codeColour]} data-testid="person-code">{t.colours[r.codeColour]}</Tag> }, { title: t.cols.community, key: 'community', render: (_: unknown, r: ListedPersonOut) => <span title={r.communityCode}>{r.communityName ?? r.communityCode}</span> },
    { title: t.cols.grid, key: 'grid', render: (_: unknown, r: ListedPersonOut) => <span title={r.gridCode ?? ''}>{r.gridName ?? r.gridCode ?? ''}</span> },
  ];
  const columns = (list === 'cases' ? caseColumns : list === 'contacts' ? contactColumns : personColumns) as never;
  return (
    <section className="single" data-testid="lists-page" data-list={list}>
      <Card size="small" title={w.nav.lists}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Segmented<ListName> value={list} block={narrow} data-testid="list-kind" options={lists.map((k) => ({ value: k, label: t.kinds[k] }))}
            onChange={(k) => { setList(k); setStatus(undefined); setKind(undefined); reset(); }} />
          <Space wrap>
            <Cascader options={units.options} loadData={(p) => units.load(p as UnitOption[])} changeOnSelect value={unit} placeholder={t.regionAll} data-testid="list-region"
              onChange={(v) => { setUnit((v ?? []) as string[]); reset(); }} style={{ minWidth: narrow ? 300 : 320 }} allowClear />
            {statusOptions && (
              <Select allowClear value={status} placeholder={list === 'cases' ? t.outcome : list === 'contacts' ? t.status : t.colour} style={{ width: 140 }} data-testid="list-status"
                options={options(statusOptions)} onChange={(v) => { setStatus(v); reset(); }} />
            )}
            {kindOptions && (
              <Select allowClear value={kind} placeholder={t.kind} style={{ width: 160 }} data-testid="list-filter-kind"
                options={options(kindOptions)} onChange={(v) => { setKind(v); reset(); }} />
            )}
          </Space>
          {mayExport && (
            <Space wrap>
              <Button size="small" loading={exporting} onClick={() => void exportAs('xlsx')} data-testid="list-export-xlsx">{t.exportXlsx}</Button>
              <Button size="small" loading={exporting} onClick={() => void exportAs('csv')} data-testid="list-export-csv">{t.exportCsv}</Button>
              <Typography.Text type="secondary" className="small">{t.audited}</Typography.Text>
            </Space>
          )}
          {exportNote && <Alert type={exportNote.ok ? 'success' : 'error'} showIcon message={exportNote.ok ? t.exported : problem(w, exportNote.error)} data-testid="list-export-note" />}
        </Space>
      </Card>
      {page.error && <Alert type="error" showIcon style={{ marginTop: 12 }} message={problem(w, page.error)} />}
      {/* Loading until this page of this filter has come: the rows shown meanwhile are the previous ones (placeholderData). */}
      <Card size="small" style={{ marginTop: 12 }} data-testid="list-results" data-count={rows.length} data-page={cursors.length}
        data-state={page.isError ? 'failed' : page.isPending || page.isPlaceholderData ? 'loading' : 'loaded'}>
        {/* On a phone a row wider than the screen scrolls inside the card, not the page. */}
        <Table size="small" rowKey="id" pagination={false} dataSource={rows as never[]} loading={page.isFetching} locale={{ emptyText: t.empty }} scroll={{ x: 'max-content' }}
          onRow={(r: { id: number }) => ({ 'data-testid': 'list-row', 'data-id': r.id } as React.HTMLAttributes<HTMLElement>)} columns={columns} />
        <Space style={{ marginTop: 8 }} wrap>
          <Button size="small" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="list-prev">{t.prev}</Button>
          <Typography.Text data-testid="list-page-no">{t.page(cursors.length)}</Typography.Text>
          <Button size="small" disabled={!page.data?.nextAfter || page.isPlaceholderData} onClick={() => setCursors((c) => [...c, page.data!.nextAfter!])} data-testid="list-next">{t.next}</Button>
        </Space>
      </Card>
    </section>
  );
}
