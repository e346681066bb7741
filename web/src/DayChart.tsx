/**
 * A chart of figures by day (ECharts bars and lines on one axis of days, a legend and a tooltip), as the pages draw an
 * epidemic curve or a site's occupancy: redrawn when its days or series change (give them memoized), resized with the
 * window, disposed with the component.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** One series: its name in the legend, bars or a line, a value per day (in the order of the days), its colour. */
export interface DaySeries { name: string; type: 'bar' | 'line'; data: number[]; color: string }

export function DayChart({ days, series, testId, height }: { days: string[]; series: DaySeries[]; testId: string; height: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    chart.setOption({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 36, right: 12, top: 32, bottom: 28 },
      // YYYY-MM-DD shown as MM-DD.
      xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: series.map((s) => ({ name: s.name, type: s.type, data: s.data, itemStyle: { color: s.color } })),
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); };
  }, [days, series]);
  return <div ref={el} data-testid={testId} style={{ width: '100%', height }} />;
}
