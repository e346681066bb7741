/**
 * A chart of figures by day (ECharts bars and lines on one axis of days, a legend and a tooltip), as the pages draw an
 * epidemic curve or a site's occupancy: redrawn when its days or series change (give them memoized), resized with the
 * window, disposed with the component.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { dayLabels } from './dayLabels.ts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/**
 * One series: its name in the legend, bars or a line (dashed if asked), a value per day (in the order of the days), its
 * colour; `shown`, when given, the values the tooltip names (a dashed line drawn from the last solid point on shows
 * only its own days), else `data`.
 */
export interface DaySeries { name: string; type: 'bar' | 'line'; data: (number | null)[]; color: string; dashed?: boolean; shown?: (number | null)[] }

/**
 * A shaded band between two values per day (a credible interval), drawn under the series and named in the tooltip;
 * the days `faint` marks (provisional estimates) are shaded lighter.
 */
export interface DayBand { name: string; lower: (number | null)[]; upper: (number | null)[]; color: string; faint?: boolean[] }

const escapeHtml = (x: string) => x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The stacked pair of series that shades `lower`..`upper` on the days `on` keeps (and joins to the day before). */
function bandSeries(band: DayBand, stack: string, on: (i: number) => boolean, opacity: number): object[] {
  const kept = (i: number) => on(i) || on(i + 1);
  const lower = band.lower.map((l, i) => (kept(i) ? l : null));
  const height = band.upper.map((u, i) => (kept(i) && u !== null && band.lower[i] !== null ? u - band.lower[i]! : null));
  return [
    { name: band.name, type: 'line', data: lower, stack, lineStyle: { opacity: 0 }, symbol: 'none', tooltip: { show: false }, itemStyle: { color: band.color } },
    { name: band.name, type: 'line', data: height, stack, lineStyle: { opacity: 0 }, symbol: 'none', tooltip: { show: false }, areaStyle: { color: band.color, opacity }, itemStyle: { color: band.color } },
  ];
}

export function DayChart({ days, series, testId, height, band, threshold, decimals }: {
  days: string[]; series: DaySeries[]; testId: string; height: number;
  band?: DayBand;
  /** A dashed horizontal line at this value (R = 1). */
  threshold?: number;
  /** Values are not whole counts (the axis takes fractions). */
  decimals?: boolean;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    const fmt = (v: number) => (decimals ? v.toFixed(2) : String(v));
    chart.setOption({
      tooltip: {
        trigger: 'axis',
        // Each series that has a value that day (no "-" for the others), then the band's interval.
        formatter: (params: { dataIndex: number; axisValueLabel: string; seriesIndex: number; marker: string; seriesName: string }[]) => {
          const i = params[0]?.dataIndex ?? 0;
          const lines = [escapeHtml(params[0]?.axisValueLabel ?? '')];
          for (const s of series) {
            const v = (s.shown ?? s.data)[i];
            if (v !== null && v !== undefined) lines.push(`<span style="display:inline-block;width:10px;height:10px;border-radius:5px;background:${s.color};margin-right:6px"></span>${escapeHtml(s.name)} <b>${fmt(v)}</b>`);
          }
          const lo = band?.lower[i], hi = band?.upper[i];
          if (band && lo !== null && lo !== undefined && hi !== null && hi !== undefined) lines.push(`${escapeHtml(band.name)} ${fmt(lo)} – ${fmt(hi)}`);
          return lines.join('<br/>');
        },
      },
      // One line of legend, scrolled on a narrow screen, never wrapped over the plot.
      legend: { top: 0, type: 'scroll' },
      grid: { left: 36, right: 12, top: 32, bottom: 28 },
      // YYYY-MM-DD shown as MM-DD within one year, whole across years (a label that is no day, such as a gap's, as it is).
      xAxis: { type: 'category', data: dayLabels(days) },
      yAxis: { type: 'value', ...(decimals ? {} : { minInterval: 1 }) },
      series: [
        // The band: its lower edge, invisible, and the height above it stacked on it, shaded.
        ...(band ? [
          ...bandSeries(band, 'band', (i) => i < band.lower.length && !band.faint?.[i], 0.25),
          ...(band.faint?.some(Boolean) ? bandSeries(band, 'band-faint', (i) => !!band.faint?.[i], 0.1) : []),
        ] : []),
        ...series.map((s, i) => ({
          name: s.name, type: s.type, data: s.data, itemStyle: { color: s.color }, ...(s.dashed ? { lineStyle: { type: 'dashed' } } : {}),
          ...(i === 0 && threshold !== undefined ? { markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#6b7280' }, label: { formatter: String(threshold) }, data: [{ yAxis: threshold }] } } : {}),
        })),
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); };
  }, [days, series, band, threshold, decimals]);
  return <div ref={el} data-testid={testId} style={{ width: '100%', height }} />;
}
