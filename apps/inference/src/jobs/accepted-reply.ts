import type { FastifyReply } from 'fastify';
import { JobView, SubmittedJob } from '@app/queue';

/** 202 Accepted with Location: /v1/jobs/{id}; a replay of an Idempotency-Key says so. */
export function acceptedReply(reply: FastifyReply, submitted: SubmittedJob): JobView {
  void reply.status(202).header('Location', `/v1/jobs/${encodeURIComponent(submitted.job.id)}`);
  if (!submitted.created) void reply.header('Idempotent-Replayed', 'true');
  return submitted.job;
}
