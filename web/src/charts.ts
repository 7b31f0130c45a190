// Line charts as inline SVG, with the same numbers as a table for screen readers and anyone
// who prefers one. No library: a chart here is a polyline, two axes and a few labels.
import { h, svg, uid } from './dom';

export interface Point {
  at: number; // ms since the epoch
  value: number;
}

export interface ChartOptions {
  title: string;
  description: string;
  min: number;
  max: number;
  valueLabel: string;
  bands?: { from: number; to: number; label: string }[]; // shaded ranges, e.g. severity
}

const W = 320;
const H = 160;
const PAD = { left: 28, right: 8, top: 10, bottom: 22 };

function dateLabel(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

// Positions points left to right in time order; equal times are spread evenly.
export function layout(points: Point[], min: number, max: number): { x: number; y: number }[] {
  const sorted = [...points].sort((a, b) => a.at - b.at);
  const first = sorted[0]?.at ?? 0;
  const last = sorted[sorted.length - 1]?.at ?? 0;
  const span = last - first;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  return sorted.map((p, i) => {
    const t = span > 0 ? (p.at - first) / span : sorted.length > 1 ? i / (sorted.length - 1) : 0.5;
    const v = Math.min(max, Math.max(min, p.value));
    return { x: PAD.left + t * innerW, y: PAD.top + (1 - (v - min) / (max - min)) * innerH };
  });
}

export function lineChart(points: Point[], o: ChartOptions): HTMLElement {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  const pos = layout(points, o.min, o.max);
  const yOf = (v: number) => PAD.top + (1 - (v - o.min) / (o.max - o.min)) * (H - PAD.top - PAD.bottom);
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'chart' },
    svg('title', { id: titleId }, o.title),
    svg('desc', { id: descId }, o.description),
  );
  for (const b of o.bands ?? []) {
    chart.append(svg('rect', { x: PAD.left, y: yOf(b.to), width: W - PAD.left - PAD.right, height: yOf(b.from) - yOf(b.to), class: 'band' }));
  }
  chart.append(
    svg('line', { x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: H - PAD.bottom, class: 'axis' }),
    svg('line', { x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom, class: 'axis' }),
    svg('text', { x: PAD.left - 4, y: yOf(o.max) + 4, class: 'tick', 'text-anchor': 'end' }, String(o.max)),
    svg('text', { x: PAD.left - 4, y: yOf(o.min), class: 'tick', 'text-anchor': 'end' }, String(o.min)),
  );
  if (pos.length) {
    const sorted = [...points].sort((a, b) => a.at - b.at);
    chart.append(
      svg('polyline', { points: pos.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '), class: 'line' }),
      ...pos.map((p) => svg('circle', { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: 3, class: 'dot' })),
      svg('text', { x: PAD.left, y: H - 6, class: 'tick' }, dateLabel(sorted[0].at)),
      svg('text', { x: W - PAD.right, y: H - 6, class: 'tick', 'text-anchor': 'end' }, dateLabel(sorted[sorted.length - 1].at)),
    );
  }
  const table = h(
    'details',
    { class: 'chart-table' },
    h('summary', {}, 'Show as a table'),
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, o.title),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, o.valueLabel))),
      h(
        'tbody',
        {},
        [...points].sort((a, b) => a.at - b.at).map((p) => h('tr', {}, h('td', {}, new Date(p.at).toLocaleString()), h('td', {}, String(p.value)))),
      ),
    ),
  );
  return h('figure', { class: 'chart-figure' }, chart as unknown as Node, table);
}
