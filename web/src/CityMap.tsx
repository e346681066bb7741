/** Choropleth of Hunan's 14 cities drawn from the real (simplified) boundaries with ECharts. */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { MapChart } from 'echarts/charts';
import { TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { CityRow } from './api.ts';

echarts.use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export function CityMap(props: { geo: object; cities: CityRow[]; label: (c: CityRow) => string; seriesName: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    echarts.registerMap('hunan', props.geo as Parameters<typeof echarts.registerMap>[1]);
    const chart = echarts.init(el.current);
    const max = Math.max(1, ...props.cities.map((c) => c.cases));
    chart.setOption({
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${p.name}: ${Number.isFinite(p.value) ? p.value : 0}` },
      visualMap: { min: 0, max, left: 10, bottom: 10, calculable: true, inRange: { color: ['#fff5eb', '#fd8d3c', '#a63603'] } },
      series: [{
        name: props.seriesName, type: 'map', map: 'hunan', nameProperty: 'code', roam: false,
        label: { show: true, fontSize: 10, formatter: (p: { name: string }) => props.label(props.cities.find((c) => c.code === p.name) ?? { code: p.name } as CityRow) },
        data: props.cities.map((c) => ({ name: c.code, value: c.cases })),
      }],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); };
  }, [props.geo, props.cities, props.label, props.seriesName]);
  return <div ref={el} data-testid="city-map" style={{ width: '100%', height: 520 }} />;
}
