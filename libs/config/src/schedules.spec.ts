import { resolve } from 'path';
import { loadSchedules, parseSchedules } from './schedules';

const parse = (schedules: unknown[]) => parseSchedules({ schedules });

describe('schedules.yaml', () => {
  it('reads the shipped file', () => {
    const schedules = loadSchedules(resolve(__dirname, '../../../config'));
    expect(schedules.map((s) => s.name)).toEqual(['repository-sync', 'reference-refresh', 'batch-score', 'drift-report', 'cleanup']);
    expect(schedules[0]).toMatchObject({ job: 'repository-sync', everyMs: 300_000, enabled: true });
    expect(schedules[1]).toMatchObject({ cron: '0 */3 * * *', tz: 'UTC' });
  });

  it('stops at a bad cron pattern, naming the schedule', () => {
    expect(() => parse([{ name: 'nightly', cron: '61 * * * *', job: 'cleanup' }])).toThrow(/schedule 'nightly' has an invalid cron pattern "61 \* \* \* \*"/);
    expect(() => parse([{ name: 'short', cron: '* *', job: 'cleanup' }])).toThrow(/schedule 'short' has an invalid cron pattern/);
  });

  it('stops at an unknown job, time zone, interval or field', () => {
    expect(() => parse([{ name: 'a', every: '1m', job: 'reboot' }])).toThrow(/schedule 'a' has job "reboot"/);
    expect(() => parse([{ name: 'a', cron: '0 * * * *', tz: 'Mars/Olympus', job: 'cleanup' }])).toThrow(/unknown time zone/);
    expect(() => parse([{ name: 'a', every: 'often', job: 'cleanup' }])).toThrow(/invalid interval "often"/);
    expect(() => parse([{ name: 'a', every: '1m', job: 'cleanup', retries: 2 }])).toThrow(/unknown field 'retries'/);
    expect(() => parse([{ name: 'a', every: '1m', cron: '* * * * *', job: 'cleanup' }])).toThrow(/exactly one of cron and every/);
    expect(() => parse([{ name: 'a', every: '1m', job: 'cleanup' }, { name: 'a', every: '2m', job: 'cleanup' }])).toThrow(/defined twice/);
  });

  it('reads intervals in s, m, h and milliseconds', () => {
    expect(parse([{ name: 'a', every: '30s', job: 'cleanup' }])[0].everyMs).toBe(30_000);
    expect(parse([{ name: 'a', every: '2h', job: 'cleanup' }])[0].everyMs).toBe(7_200_000);
    expect(parse([{ name: 'a', every: 1500, job: 'cleanup' }])[0].everyMs).toBe(1500);
  });
});
