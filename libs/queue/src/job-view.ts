import { Job, JobState, Queue } from 'bullmq';
import { fromBullPriority } from './job-priority';
import { PredictJobData, PredictJobResult } from './predict-job';
import { splitFailureReason } from './job-failure';

export const JOB_STATES = ['queued', 'active', 'completed', 'failed', 'cancelled'] as const;
export type JobStateName = (typeof JOB_STATES)[number];

/** What GET /v1/jobs/{id} answers. */
export interface JobView {
  id: string;
  model: string;
  /** The version asked for; absent when the job targets the newest version available when it runs. */
  version?: number;
  state: JobStateName;
  priority: number;
  /** Attempts started so far, the one running included (a job rerun after its worker died counts both). */
  attempts: number;
  maxAttempts: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Until when a finished job (its result or its error) can still be read. */
  expiresAt?: string;
  /** Completed: the version that served it and what :predict would have answered. */
  result?: { model: string; version: number } & Record<string, unknown>;
  /** Failed (or the last failed attempt of a job waiting for its retry). */
  error?: { code: string; message: string };
}

/** BullMQ's states folded into ours: every kind of waiting is "queued". */
export function stateOf(state: JobState | 'unknown'): JobStateName | undefined {
  switch (state) {
    case 'active':
      return 'active';
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    case 'waiting':
    case 'delayed':
    case 'prioritized':
    case 'waiting-children':
      return 'queued';
    default:
      return undefined;
  }
}

/**
 * Reads a job and its state. The state is read first and the job's hash second: should the job finish in
 * between, its hash (the newer read) says so, and a finished job is never shown without its result.
 */
export async function readJob(queue: Queue<PredictJobData, PredictJobResult>, id: string): Promise<{ job: Job<PredictJobData, PredictJobResult>; state: JobStateName } | undefined> {
  const bullState = await queue.getJobState(id);
  const job = await queue.getJob(id);
  if (!job) return undefined;
  const state = job.finishedOn ? (job.returnvalue != null ? 'completed' : 'failed') : stateOf(bullState);
  return state ? { job, state } : undefined;
}

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);

export function jobView(job: Job<PredictJobData, PredictJobResult>, state: JobStateName): JobView {
  const view: JobView = {
    id: job.id!,
    model: job.data.model,
    ...(job.data.version !== undefined ? { version: job.data.version } : {}),
    state,
    priority: fromBullPriority(job.opts.priority) ?? 0,
    // BullMQ counts a final unrecoverable failure in attemptsStarted only.
    attempts: Math.max(job.attemptsMade, job.attemptsStarted ?? 0),
    maxAttempts: job.opts.attempts ?? 1,
    createdAt: iso(job.timestamp)!,
  };
  if (job.processedOn) view.startedAt = iso(job.processedOn);
  if ((state === 'completed' || state === 'failed') && job.finishedOn) {
    view.finishedAt = iso(job.finishedOn);
    const keep = state === 'completed' ? job.opts.removeOnComplete : job.opts.removeOnFail;
    if (typeof keep === 'object' && 'age' in keep && keep.age) view.expiresAt = iso(job.finishedOn + 1000 * keep.age);
  }
  if (state === 'completed' && job.returnvalue) {
    const r = job.returnvalue;
    view.result = { model: r.model, version: r.version, ...r.body };
  }
  if (job.failedReason && state !== 'completed') view.error = splitFailureReason(job.failedReason);
  return view;
}
