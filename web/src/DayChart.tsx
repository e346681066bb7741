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

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/** One series: its name in the legend, bars or a line (dashed if asked), a value per day (in the order of the days), its colour. */
export interface DaySeries { name: string; type: 'bar' | 'line'; data: (number | null)[]; color: string; dashed?: boolean }

/** A shaded band between two values per day (a credible interval), drawn under the series. */
export interface DayBand { name: string; lower: (number | null)[]; upper: (number | null)[]; color: string }

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
    chart.setOption({
      tooltip: { trigger: 'axis' },
      // One line of legend, scrolled on a narrow screen, never wrapped over the plot.
      legend: { top: 0, type: 'scroll' },
      grid: { left: 36, right: 12, top: 32, bottom: 28 },
      // YYYY-MM-DD shown as MM-DD.
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
      yAxis: { type: 'value', ...(decimals ? {} : { minInterval: 1 }) },
      series: [
        // The band: its lower edge, invisible, and the height above it stacked on it, shaded.
        ...(band ? [
          { name: band.name, type: 'line', data: band.lower, stack: 'band', lineStyle: { opacity: 0 }, symbol: 'none', tooltip: { show: false }, itemStyle: { color: band.color } },
          { name: band.name, type: 'line', data: band.upper.map((u, i) => (u === null || band.lower[i] === null ? null : u - band.lower[i]!)), stack: 'band', lineStyle: { opacity: 0 }, symbol: 'none', tooltip: { show: false }, areaStyle: { color: band.color, opacity: 0.25 }, itemStyle: { color: band.color } },
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
