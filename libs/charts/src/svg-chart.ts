/** Grouped bar charts as plain SVG: no plotting dependency for one picture per benchmark. */
export interface BarPanel {
  title: string;
  unit: string;
  groups: string[];
  series: string[];
  /** values[group][series]; `marks` draws a tick per bar (e.g. p50 on p99 bars). */
  values: number[][];
  marks?: number[][];
  markLabel?: string;
  log?: boolean;
}

const COLORS = ['#9aa5b1', '#3b82f6', '#10b981', '#f59e0b', '#ef4444', '#8b5cf6'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function panel(p: BarPanel, x0: number, y0: number, width: number, height: number): string {
  const left = 70;
  const bottom = 40;
  const plotW = width - left - 20;
  const plotH = height - bottom - 40;
  const all = p.values.flat().concat((p.marks ?? []).flat()).filter((v) => v > 0);
  const max = Math.max(...all, 1e-9);
  const min = p.log ? Math.max(Math.min(...all) / 2, 1e-3) : 0;
  const scale = (v: number) =>
    p.log ? (Math.log10(Math.max(v, min)) - Math.log10(min)) / (Math.log10(max * 1.1) - Math.log10(min)) : v / (max * 1.1);
  const out: string[] = [`<g transform="translate(${x0},${y0})">`, `<text x="${left}" y="18" font-size="14" font-weight="bold">${esc(p.title)}</text>`];
  out.push(`<line x1="${left}" y1="${30 + plotH}" x2="${left + plotW}" y2="${30 + plotH}" stroke="#333"/>`);
  for (let t = 0; t <= 4; t++) {
    const v = p.log ? min * (max * 1.1 / min) ** (t / 4) : (max * 1.1 * t) / 4;
    const y = 30 + plotH - scale(v) * plotH;
    out.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${left - 6}" y="${y + 4}" font-size="10" text-anchor="end">${v >= 100 ? Math.round(v) : v.toPrecision(2)}</text>`);
  }
  out.push(`<text x="14" y="${30 + plotH / 2}" font-size="11" transform="rotate(-90 14 ${30 + plotH / 2})" text-anchor="middle">${esc(p.unit)}</text>`);
  const groupW = plotW / p.groups.length;
  const barW = (groupW * 0.8) / p.series.length;
  p.groups.forEach((g, gi) => {
    const gx = left + gi * groupW + groupW * 0.1;
    p.series.forEach((_, si) => {
      const v = p.values[gi][si];
      const h = scale(v) * plotH;
      const x = gx + si * barW;
      out.push(`<rect x="${x}" y="${30 + plotH - h}" width="${barW - 2}" height="${h}" fill="${COLORS[si % COLORS.length]}"><title>${esc(`${g} ${p.series[si]}: ${v.toFixed(1)} ${p.unit}`)}</title></rect>`);
      const mark = p.marks?.[gi][si];
      if (mark !== undefined && mark > 0) {
        const my = 30 + plotH - scale(mark) * plotH;
        out.push(`<line x1="${x}" y1="${my}" x2="${x + barW - 2}" y2="${my}" stroke="#111" stroke-width="2"/>`);
      }
    });
    out.push(`<text x="${gx + groupW * 0.4}" y="${30 + plotH + 16}" font-size="11" text-anchor="middle">${esc(g)}</text>`);
  });
  const legend = p.series.map((s, si) => `<rect x="${left + si * 110}" y="${height - 14}" width="10" height="10" fill="${COLORS[si % COLORS.length]}"/><text x="${left + si * 110 + 14}" y="${height - 5}" font-size="11">${esc(s)}</text>`);
  out.push(...legend);
  if (p.markLabel) out.push(`<text x="${left + p.series.length * 110}" y="${height - 5}" font-size="11">— ${esc(p.markLabel)}</text>`);
  out.push('</g>');
  return out.join('\n');
}

export function barChartsSvg(title: string, panels: BarPanel[], note = ''): string {
  const width = 900;
  const height = 320;
  const total = 40 + panels.length * height + (note ? 30 : 0);
  const body = panels.map((p, i) => panel(p, 0, 40 + i * height, width, height)).join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${total}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="20" y="26" font-size="16" font-weight="bold">${esc(title)}</text>`,
    body,
    note ? `<text x="20" y="${total - 10}" font-size="11" fill="#555">${esc(note)}</text>` : '',
    '</svg>',
  ].join('\n');
}
