import { TimelinePoint } from './report-types';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const SERIES = [
  { key: 'p50Ms', label: 'p50', color: '#3b82f6' },
  { key: 'p99Ms', label: 'p99', color: '#ef4444' },
  { key: 'maxMs', label: 'max', color: '#9aa5b1' },
] as const;

/**
 * Latency over the run, per second of send time: p50, p99 and max as lines, requests per second as bars
 * beneath, the SLO as a dashed line. Plain SVG, as libs/charts draws its bar charts.
 */
export function latencyChartSvg(title: string, points: TimelinePoint[], sloMs?: number): string {
  const width = 900;
  const height = 360;
  const left = 70;
  const right = 60;
  const top = 50;
  const plotW = width - left - right;
  const plotH = 220;
  const base = top + plotH;
  const seconds = Math.max(1, points.length ? points[points.length - 1].second + 1 : 1);
  const maxMs = Math.max(1e-3, sloMs ?? 0, ...points.map((p) => p.maxMs)) * 1.1;
  const maxRequests = Math.max(1, ...points.map((p) => p.requests));
  const x = (second: number) => left + ((second + 0.5) / seconds) * plotW;
  const y = (ms: number) => base - (ms / maxMs) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" role="img" aria-label="${esc(title)}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="20" y="26" font-size="16" font-weight="bold">${esc(title)}</text>`,
    `<line x1="${left}" y1="${base}" x2="${left + plotW}" y2="${base}" stroke="#333"/>`,
  ];
  for (let t = 0; t <= 4; t++) {
    const v = (maxMs * t) / 4;
    out.push(`<line x1="${left}" y1="${y(v)}" x2="${left + plotW}" y2="${y(v)}" stroke="#eee"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end">${v >= 100 ? Math.round(v) : v.toPrecision(2)}</text>`);
  }
  out.push(`<text x="14" y="${top + plotH / 2}" font-size="11" transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">latency (ms)</text>`);
  // Requests per second: pale bars, scaled on their own axis at the right.
  const barW = Math.max(1, plotW / seconds - 2);
  for (const p of points) {
    const h = (p.requests / maxRequests) * plotH * 0.25;
    out.push(`<rect x="${x(p.second) - barW / 2}" y="${base - h}" width="${barW}" height="${h}" fill="${p.errors ? '#fecaca' : '#e5e7eb'}"><title>${p.second}s: ${p.requests} requests, ${p.errors} errors</title></rect>`);
  }
  out.push(`<text x="${left + plotW + 6}" y="${base - plotH * 0.25}" font-size="10">${maxRequests} req/s</text>`);
  if (sloMs !== undefined) {
    out.push(`<line x1="${left}" y1="${y(sloMs)}" x2="${left + plotW}" y2="${y(sloMs)}" stroke="#111" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${left + plotW + 6}" y="${y(sloMs) + 4}" font-size="10">SLO ${sloMs} ms</text>`);
  }
  for (const s of SERIES) {
    const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.second).toFixed(1)},${y(p[s.key]).toFixed(1)}`).join(' ');
    if (path) out.push(`<path d="${path}" fill="none" stroke="${s.color}" stroke-width="2"><title>${s.label}</title></path>`);
    if (points.length === 1) out.push(`<circle cx="${x(points[0].second)}" cy="${y(points[0][s.key])}" r="3" fill="${s.color}"/>`);
  }
  const ticks = Math.min(10, seconds);
  for (let t = 0; t <= ticks; t++) {
    const second = (seconds * t) / ticks;
    const px = left + (second / seconds) * plotW;
    out.push(`<text x="${px}" y="${base + 16}" font-size="10" text-anchor="middle">${Math.round(second)}s</text>`);
  }
  out.push(`<text x="${left + plotW / 2}" y="${base + 32}" font-size="11" text-anchor="middle">time since the start (by send time)</text>`);
  SERIES.forEach((s, i) => {
    out.push(`<rect x="${left + i * 90}" y="${height - 24}" width="10" height="10" fill="${s.color}"/><text x="${left + i * 90 + 14}" y="${height - 15}" font-size="11">${s.label}</text>`);
  });
  out.push(`<rect x="${left + 270}" y="${height - 24}" width="10" height="10" fill="#e5e7eb"/><text x="${left + 284}" y="${height - 15}" font-size="11">requests per second</text>`);
  out.push('</svg>');
  return out.join('\n');
}
