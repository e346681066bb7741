/**
 * A choropleth of the units below a region (the 14 cities of Hunan, or one city's counties) drawn from the boundary
 * files with ECharts: one value per unit (features name their division code in `properties.code`); a click on a unit
 * drills down to it.
 */
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { MapChart } from 'echarts/charts';
import { TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([MapChart, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export interface RegionMapProps {
  /** A name for the boundaries, unique per file (ECharts keeps registered maps by name). */
  mapName: string;
  geo: object;
  values: Record<string, number>;
  names: Record<string, string>;
  seriesName: string;
  onPick?: (code: string) => void;
  height?: number;
  testId?: string;
}

export function RegionMap({ mapName, geo, values, names, seriesName, onPick, height = 460, testId = 'region-map' }: RegionMapProps) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    echarts.registerMap(mapName, geo as Parameters<typeof echarts.registerMap>[1]);
    const chart = echarts.init(el.current);
    const codes = ((geo as { features?: { properties: { code: string } }[] }).features ?? []).map((f) => f.properties.code);
    chart.setOption({
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: number }) => `${names[p.name] ?? p.name}: ${Number.isFinite(p.value) ? p.value : 0}` },
      visualMap: { min: 0, max: Math.max(1, ...Object.values(values)), left: 10, bottom: 10, calculable: true, inRange: { color: ['#fff5eb', '#fd8d3c', '#a63603'] } },
      series: [{
        name: seriesName, type: 'map', map: mapName, nameProperty: 'code', roam: false, selectedMode: false,
        label: { show: true, fontSize: 10, formatter: (p: { name: string }) => names[p.name] ?? p.name },
        data: codes.map((c) => ({ name: c, value: values[c] ?? 0 })),
      }],
    });
    if (onPick) chart.on('click', (p) => { if (typeof p.name === 'string') onPick(p.name); });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); };
  }, [mapName, geo, values, names, seriesName, onPick]);
  return <div ref={el} data-testid={testId} style={{ width: '100%', height }} />;
}
