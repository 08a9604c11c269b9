import request from 'supertest';

/** One sample of /metrics: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export async function scrape(url: string): Promise<Sample[]> {
  const res = await request(url).get('/metrics').expect(200);
  return res.text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`unparsable metrics line: ${line}`);
      const labels: Record<string, string> = {};
      for (const pair of (m[2] ?? '').match(/\w+="(?:[^"\\]|\\.)*"/g) ?? []) {
        const at = pair.indexOf('=');
        labels[pair.slice(0, at)] = pair.slice(at + 2, -1);
      }
      return { name: m[1], labels, value: Number(m[3]) };
    });
}

/** The value of one sample whose labels include `labels`, or 0. */
export function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found?.value ?? 0;
}
