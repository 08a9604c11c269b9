import { Queue } from 'bullmq';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import request from 'supertest';
import { bullRedisOptions, redisOptionsFromUrl } from '@app/redis';
import { SchedulerAppModule } from '../apps/scheduler/src/scheduler-app.module';
import { holdout } from './support/holdout';
import { scrape, valueOf } from './support/metrics';
import { constantClassModel, IRIS_ROW, readModelJson, tempRepository, writeModelJson, writeVersion } from './support/model-repo';
import { until } from './support/poll';
import { RunningApp, startAllInOne, startApp } from './support/test-app';
import { configDirWithSchedules, REDIS_URL, testConfig } from './support/test-config';

const ADMIN = 'scheduler-admin-key-0123456789';
const admin = { Authorization: `Bearer ${ADMIN}` };

/** Schedules that never fire during a test: each job is started with "run now". */
const QUIET_SCHEDULES = `
schedules:
  - { name: repository-sync, every: 1h, job: repository-sync }
  - { name: reference-refresh, cron: "0 */3 * * *", tz: UTC, job: reference-refresh }
  - { name: batch-score, every: 1h, job: batch-score, options: { inbox: INBOX/in, outbox: INBOX/out, done: INBOX/done } }
  - { name: drift-report, every: 1h, job: drift-report }
  - { name: cleanup, every: 1h, job: cleanup }
`;

function maintenanceQueue(prefix: string): Queue {
  const queue = new Queue('maintenance', { connection: bullRedisOptions(redisOptionsFromUrl(REDIS_URL)), prefix });
  queue.on('error', () => undefined);
  return queue;
}

describe('scheduler: job schedulers in Redis', () => {
  const apps: RunningApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });

  const schedulerApp = (configDir: string, prefix: string) =>
    startApp(
      { appName: 'scheduler', rootModule: (c) => SchedulerAppModule.forRoot(c), port: (c) => c.server.port, banner: () => [] },
      testConfig({ redis: { keyPrefix: prefix } }, configDir),
    );

  it('fires each tick once with two scheduler processes side by side', async () => {
    const prefix = `mgtest-sched-${process.pid}-${Date.now()}`;
    const dir = configDirWithSchedules('schedules:\n  - { name: tick, every: 1s, job: repository-sync }\n');
    apps.push(await schedulerApp(dir, prefix), await schedulerApp(dir, prefix));
    const queue = maintenanceQueue(prefix);
    try {
      await until(async () => (await queue.getJobCounts('completed')).completed >= 5, 'five ticks', 20_000);
      const jobs = await queue.getJobs(['completed'], 0, -1);
      const ticks = jobs.filter((j) => j.repeatJobKey === 'tick');
      // One job per tick: distinct tick timestamps, each job run by one worker, once.
      const timestamps = ticks.map((j) => j.opts.prevMillis ?? j.timestamp);
      expect(new Set(ticks.map((j) => j.id)).size).toBe(ticks.length);
      expect(new Set(timestamps).size).toBe(ticks.length);
      for (const job of ticks) expect(job.attemptsMade).toBeLessThanOrEqual(1);
      const span = (Math.max(...ticks.map((j) => j.finishedOn!)) - Math.min(...ticks.map((j) => j.processedOn!))) / 1000;
      expect(ticks.length).toBeLessThanOrEqual(Math.ceil(span) + 2);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('removes from Redis the schedules removed from the file', async () => {
    const prefix = `mgtest-sched-${process.pid}-${Date.now()}`;
    const queue = maintenanceQueue(prefix);
    try {
      apps.push(await schedulerApp(configDirWithSchedules('schedules:\n  - { name: a, every: 1h, job: cleanup }\n  - { name: b, every: 1h, job: cleanup }\n'), prefix));
      expect((await queue.getJobSchedulers()).map((s) => s.key).sort()).toEqual(['a', 'b']);
      await apps.pop()!.close();
      apps.push(await schedulerApp(configDirWithSchedules('schedules:\n  - { name: a, every: 2h, job: cleanup }\n'), prefix));
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toEqual(['a']);
      expect(schedulers[0].every).toBe(7_200_000);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('refuses to start on a bad cron pattern, naming the schedule', async () => {
    const dir = configDirWithSchedules('schedules:\n  - { name: nightly-report, cron: "0 25 * * *", job: drift-report }\n');
    await expect(schedulerApp(dir, `mgtest-sched-${process.pid}-bad`)).rejects.toThrow(/schedule 'nightly-report' has an invalid cron pattern "0 25 \* \* \*"/);
  });
});

describe('scheduler: the jobs and their admin routes (all-in-one app)', () => {
  let app: RunningApp;
  let repo: string;
  let inbox: string;

  beforeAll(async () => {
    repo = tempRepository(['iris', 'spam']);
    inbox = tempRepository();
    const dir = configDirWithSchedules(QUIET_SCHEDULES.replace(/INBOX/g, inbox));
    app = await startAllInOne(
      {
        models: { repository: repo, watch: false, pollIntervalSeconds: 0 },
        auth: { apiKeys: { [ADMIN]: ['admin'] } },
        drift: { minSamples: 50, windowSize: 500 },
        queue: { removeOnCompleteSeconds: 1 },
      },
      dir,
    );
  });
  afterAll(() => app.close());

  const runNow = (name: string) => request(app.url).post(`/v1/schedules/${name}/run`).set(admin);

  it('lists the schedules with their next run, behind the admin key', async () => {
    await request(app.url).get('/v1/schedules').expect(401);
    const res = await request(app.url).get('/v1/schedules').set(admin).expect(200);
    const names = res.body.schedules.map((s: { name: string }) => s.name);
    expect(names).toEqual(['repository-sync', 'reference-refresh', 'batch-score', 'drift-report', 'cleanup']);
    const refresh = res.body.schedules.find((s: { name: string }) => s.name === 'reference-refresh');
    expect(refresh).toMatchObject({ cron: '0 */3 * * *', tz: 'UTC', job: 'reference-refresh' });
    expect(new Date(refresh.nextRun).getUTCMinutes()).toBe(0);
    await request(app.url).post('/v1/schedules/nope/run').set(admin).expect(404);
  });

  it('repository-sync: a new version appears in a server that does not watch files', async () => {
    writeVersion(repo, 'iris', 2, constantClassModel(2));
    const before = await request(app.url).post('/v1/models/iris:predict').send({ instances: [IRIS_ROW] }).expect(200);
    expect(before.body.predictions[0].label).toBe('setosa');
    const run = await runNow('repository-sync').expect(200);
    expect(run.body).toMatchObject({ schedule: 'repository-sync', state: 'completed' });
    await until(async () => {
      const res = await request(app.url).post('/v1/models/iris:predict').send({ instances: [IRIS_ROW] });
      return res.body.predictions?.[0].label === 'virginica';
    }, 'version 2 to serve');
    const listed = await request(app.url).get('/v1/schedules').set(admin).expect(200);
    const last = listed.body.schedules.find((s: { name: string }) => s.name === 'repository-sync').lastRun;
    expect(last).toMatchObject({ status: 'completed', result: { models: 'all' } });
    rmSync(join(repo, 'iris', '2'), { recursive: true });
    await runNow('repository-sync').expect(200);
    await until(async () => {
      const res = await request(app.url).post('/v1/models/iris:predict').send({ instances: [IRIS_ROW] });
      return res.body.predictions?.[0].label === 'setosa';
    }, 'version 1 to serve again');
  });

  it('reference-refresh: a changed labels file answers with the new labels, with no failed request in between', async () => {
    const json = readModelJson(repo, 'spam');
    writeFileSync(join(repo, 'spam', 'labels.txt'), 'ham\nspam\n');
    const { labels: _drop, ...post } = json.postprocess as Record<string, unknown>;
    writeModelJson(repo, 'spam', { ...json, postprocess: { ...post, labelsFile: 'labels.txt' } });
    await request(app.url).post('/v2/repository/models/spam/load').set(admin).expect(200);
    let stop = false;
    const failures: string[] = [];
    const seen = new Set<string>();
    const client = async () => {
      while (!stop) {
        const res = await request(app.url).post('/v1/models/spam:predict').send({ instances: ['WIN a FREE prize now!!!'] });
        if (res.status !== 200) failures.push(`${res.status} ${res.text}`);
        else seen.add(res.body.predictions[0].label);
      }
    };
    const clients = [client(), client(), client()];
    writeFileSync(join(repo, 'spam', 'labels.txt'), 'not-spam\nSPAM\n');
    await runNow('reference-refresh').expect(200);
    await until(() => seen.has('SPAM'), 'the new label');
    stop = true;
    await Promise.all(clients);
    expect(failures).toEqual([]);
    expect([...seen].sort()).toEqual(['SPAM', 'spam']);
    writeFileSync(join(repo, 'spam', 'labels.txt'), 'ham\nspam\n');
    await runNow('reference-refresh').expect(200);
  });

  it('batch-score: scores every row through the queue, reports bad rows, writes the output atomically and moves the input', async () => {
    mkdirSync(join(inbox, 'in', 'iris'), { recursive: true });
    const rows = holdout<{ features: number[] }>('iris').map((r) => JSON.stringify(r.features));
    writeFileSync(join(inbox, 'in', 'iris', 'flowers.jsonl'), [...rows.slice(0, 10), '{not json', '[1, 2]', ...rows.slice(10)].join('\n') + '\n');
    writeFileSync(join(inbox, 'in', 'iris', 'more.csv'), 'sl,sw,pl,pw\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n');
    const run = await runNow('batch-score').expect(200);
    const files = run.body.result.files;
    expect(files.map((f: { file: string }) => f.file).sort()).toEqual(['flowers.jsonl', 'more.csv']);
    const lines = readFileSync(join(inbox, 'out', 'iris', 'flowers.out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(rows.length + 2);
    expect(lines[10]).toEqual({ row: 11, error: expect.stringMatching(/not valid JSON/) });
    expect(lines[11]).toEqual({ row: 12, error: expect.stringMatching(/instances\[0\]/) });
    expect(lines.filter((l) => l.prediction).length).toBe(rows.length);
    expect(lines[0].prediction.label).toBe('setosa');
    const csv = readFileSync(join(inbox, 'out', 'iris', 'more.out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(csv.map((l: { prediction: { label: string } }) => l.prediction.label)).toEqual(['setosa', 'virginica']);
    expect(existsSync(join(inbox, 'in', 'iris', 'flowers.jsonl'))).toBe(false);
    expect(existsSync(join(inbox, 'done', 'iris', 'flowers.jsonl'))).toBe(true);
  });

  it('drift-report: quiet on traffic that matches training, flags a skewed stream, and keeps the reports', async () => {
    // Every other hold-out email: 500 rows in the training mix, exactly the window's size, so the window
    // holds only them whatever earlier tests sent.
    const ham = holdout<{ text: string; label: string }>('spam');
    const mixed = ham.filter((_, i) => i % 2 === 0).map((r) => r.text);
    for (let i = 0; i < mixed.length; i += 50) {
      await request(app.url).post('/v1/models/spam:predict').send({ instances: mixed.slice(i, i + 50) }).expect(200);
    }
    const matching = await runNow('drift-report').expect(200);
    expect(matching.body.result.reports.find((r: { model: string }) => r.model === 'spam')).toMatchObject({ verdict: 'stable' });
    const spammy = ham.filter((r) => r.label === 'spam').map((r) => r.text);
    for (let round = 0; round < 3; round++) {
      await request(app.url).post('/v1/models/spam:predict').send({ instances: spammy.slice(0, 200) }).expect(200);
    }
    const skewed = await runNow('drift-report').expect(200);
    const report = skewed.body.result.reports.find((r: { model: string }) => r.model === 'spam');
    expect(report.verdict).toBe('drifted');
    expect(report.psi).toBeGreaterThan(0.2);
    const drift = await request(app.url).get('/v1/models/spam/drift').expect(200);
    expect(drift.body.reports.map((r: { verdict: string }) => r.verdict).slice(0, 2)).toEqual(['drifted', 'stable']);
    const reference = (readModelJson(repo, 'spam').reference as { classDistribution: Record<string, number> }).classDistribution;
    expect(drift.body.reports[0].expected).toEqual(reference);
    const samples = await scrape(app.url);
    expect(valueOf(samples, 'modelgate_drift_psi', { model: 'spam' })).toBeCloseTo(report.psi, 5);
    await request(app.url).get('/v1/models/nope/drift').expect(404);
  });

  it('cleanup: removes finished jobs older than their retention', async () => {
    const submitted = await request(app.url).post('/v1/models/iris/jobs').send({ instances: [IRIS_ROW] }).expect(202);
    const id = submitted.body.id;
    await until(async () => (await request(app.url).get(`/v1/jobs/${id}`)).body.state === 'completed', 'the job to complete');
    await new Promise((r) => setTimeout(r, 1500)); // older than queue.removeOnCompleteSeconds
    const run = await runNow('cleanup').expect(200);
    expect(run.body.result.removed['predict.iris'].completed).toBeGreaterThanOrEqual(1);
    await request(app.url).get(`/v1/jobs/${id}`).expect(404);
  });
});
