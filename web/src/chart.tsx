import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { DatasetComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import type { EChartsCoreOption } from 'echarts/core';
import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

// Only the charts the pages draw, so the bundle carries only what is used (ECharts is modular).
use([BarChart, LineChart, PieChart, DatasetComponent, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/**
 * An ECharts chart. A chart is never the only place a figure is: each page shows the same
 * figures in a table (readable by a screen reader, copyable), so the chart is labelled and
 * hidden from assistive technology as an image with a summary.
 */
export function Chart({ option, label, height = 320 }: { option: EChartsCoreOption; label: string; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = init(el.current, undefined, { renderer: 'svg', locale: 'ZH' });
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return <div class="chart" ref={el} role="img" aria-label={label} style={{ height: `${height}px` }} />;
}

/**
 * A decimal string of yuan (as the API gives money) as a number for a chart's geometry only: a
 * bar's length needs no fen, while every figure a reader reads comes from the string (format.ts).
 */
export function chartValue(amount: string | null | undefined): number {
  return amount ? Number(amount) : 0;
}
