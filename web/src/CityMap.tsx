/** Choropleth of Hunan's 14 cities drawn from the real (simplified) boundaries with ECharts: one value per city. */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { MapChart } from 'echarts/charts';
import { TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { CityRow } from './api.ts';

echarts.use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export interface CityMapProps {
  geo: object;
  cities: CityRow[];
  label: (c: CityRow) => string;
  seriesName: string;
  /** The value of each city (cases by default). */
  values?: Record<string, number>;
  /** Colour scale from 0 to the largest value (or `max`), and how a value reads in the tooltip. */
  colors?: string[];
  max?: number;
  describe?: (value: number) => string;
  testId?: string;
}

export function CityMap(props: CityMapProps) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    echarts.registerMap('hunan', props.geo as Parameters<typeof echarts.registerMap>[1]);
    const chart = echarts.init(el.current);
    const value = (c: CityRow) => props.values ? props.values[c.code] ?? 0 : c.cases;
    const max = props.max ?? Math.max(1, ...props.cities.map(value));
    const describe = props.describe ?? ((v: number) => String(v));
    const nameOf = (code: string) => props.label(props.cities.find((c) => c.code === code) ?? { code } as CityRow);
    chart.setOption({
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${nameOf(p.name)}: ${describe(Number.isFinite(p.value) ? p.value : 0)}` },
      visualMap: { min: 0, max, left: 10, bottom: 10, calculable: !props.colors, show: !props.colors, inRange: { color: props.colors ?? ['#fff5eb', '#fd8d3c', '#a63603'] } },
      series: [{
        name: props.seriesName, type: 'map', map: 'hunan', nameProperty: 'code', roam: false,
        label: { show: true, fontSize: 10, formatter: (p: { name: string }) => nameOf(p.name) },
        data: props.cities.map((c) => ({ name: c.code, value: value(c) })),
      }],
    });
    // Where each city's centroid is drawn (CSS pixels in the chart), for a test that reads the canvas there.
    const located = () => {
      const features = (props.geo as { features?: { properties: { code: string; centroid?: number[] } }[] }).features ?? [];
      const at: Record<string, number[]> = {};
      for (const f of features) if (f.properties.centroid) at[f.properties.code] = chart.convertToPixel({ seriesIndex: 0 }, f.properties.centroid) as number[];
      if (el.current) el.current.dataset.cityPixels = JSON.stringify(at);
    };
    located();
    const resize = () => { chart.resize(); located(); };
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); };
  }, [props.geo, props.cities, props.label, props.seriesName, props.values, props.colors, props.max, props.describe]);
  return <div ref={el} data-testid={props.testId ?? 'city-map'} style={{ width: '100%', height: 520 }} />;
}
