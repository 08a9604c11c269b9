import { LEVEL, MESSAGE } from 'triple-beam';
import type TransportStream from 'winston-transport';
import { AccessLog, jsonAccessLine } from './access-log';

/** A transport that keeps what it is asked to write. */
function recorder() {
  const writes: string[] = [];
  const transport = { log: (info: Record<string | symbol, unknown>, done: () => void) => (writes.push(String(info[MESSAGE])), expect(info[LEVEL]).toBe('info'), done()) };
  return { transport: transport as unknown as TransportStream, writes };
}

describe('AccessLog', () => {
  it('writes the lines of a burst in one write per transport, each in that transport\'s format, in order', () => {
    const file = recorder();
    const console = recorder();
    const log = new AccessLog([{ transport: file.transport, format: jsonAccessLine }, { transport: console.transport, format: (l) => `pretty ${l.message}` }], true, 60_000);
    log.write('POST /a 200 1.00 ms', { status: 200 }, 'r1');
    log.write('GET /b 404 0.50 ms', { status: 404 }, 'r2');
    expect(file.writes).toEqual([]);
    log.flush();
    expect(console.writes).toEqual(['pretty POST /a 200 1.00 ms\npretty GET /b 404 0.50 ms']);
    expect(file.writes).toHaveLength(1);
    const lines = file.writes[0].split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { level: 'info', message: 'POST /a 200 1.00 ms', context: 'Access', requestId: 'r1', status: 200, timestamp: expect.any(String) },
      { level: 'info', message: 'GET /b 404 0.50 ms', context: 'Access', requestId: 'r2', status: 404, timestamp: expect.any(String) },
    ]);
    expect(Date.parse(lines[0].timestamp)).not.toBeNaN();
  });

  it('writes at once when a batch is full, and by itself within flushMs otherwise', async () => {
    const file = recorder();
    const log = new AccessLog([{ transport: file.transport, format: (l) => l.message }], true, 20, 3);
    for (const m of ['1', '2', '3']) log.write(m, {});
    expect(file.writes).toEqual(['1\n2\n3']);
    log.write('4', {});
    await new Promise((r) => setTimeout(r, 60));
    expect(file.writes).toEqual(['1\n2\n3', '4']);
  });

  it('writes nothing when the access log is off', () => {
    const file = recorder();
    const log = new AccessLog([{ transport: file.transport, format: (l) => l.message }], false);
    log.write('x', {});
    log.flush();
    expect(log.active).toBe(false);
    expect(file.writes).toEqual([]);
  });
});
