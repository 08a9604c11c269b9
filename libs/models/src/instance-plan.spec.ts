import { planInstances } from './instance-plan';

const MiB = 2 ** 20;
const model = (id: string, instances: number, bytes = MiB) => ({ id, instances, threads: 1, bytes });

describe('planInstances (workers <= min(2 x cores + 1, RAM / model size))', () => {
  it('accepts up to 2 x cores + 1 instances in total', () => {
    const plan = planInstances([model('a@1', 3), model('b@1', 2)], { cores: 2, memoryBytes: 1024 * MiB, maxInstances: 0 });
    expect(plan.refusal).toBeUndefined();
    expect(plan.maxInstances).toBe(5);
    expect(plan.lines[2]).toMatch(/^total: 5 of at most 5 instances/);
  });

  it('refuses more instances than 2 x cores + 1', () => {
    const plan = planInstances([model('a@1', 4), model('b@1', 2)], { cores: 2, memoryBytes: 1024 * MiB, maxInstances: 0 });
    expect(plan.refusal).toMatch(/6 instances in total exceed the limit of 5/);
  });

  it('refuses instances whose models do not fit in RAM', () => {
    const plan = planInstances([model('big@1', 3, 400 * MiB)], { cores: 8, memoryBytes: 1024 * MiB, maxInstances: 0 });
    expect(plan.refusal).toMatch(/need ~1200\.0 MiB, more than the machine's 1024\.0 MiB/);
  });

  it('lets models.maxInstances replace the core rule', () => {
    expect(planInstances([model('a@1', 6)], { cores: 2, memoryBytes: 1024 * MiB, maxInstances: 8 }).refusal).toBeUndefined();
  });

  it('logs one line per model and a total', () => {
    const plan = planInstances([model('iris@1', 2, 2 * MiB)], { cores: 2, memoryBytes: 1024 * MiB, maxInstances: 0 });
    expect(plan.lines[0]).toBe('iris@1: 2 instance(s) x 1 thread(s), ~2.0 MiB each, ~4.0 MiB in all');
  });
});
