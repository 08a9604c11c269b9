import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { acceptedReply } from './accepted-reply';
import { checkIdempotencyKey, JobTarget, prefersAsync } from './job-target';
import { JobsService } from './jobs.service';

/** What a :predict answers when it goes through the queue; undefined when it runs inline. */
export type QueueRouted = { body: unknown } | undefined;

/**
 * On :predict, answers from the queue instead of inline when
 * - the client sends `Prefer: respond-async` (RFC 7240): 202 + Location, as POST .../jobs does;
 * - the model's model.json says `route: queue`: the request waits for its job's result (504 past
 *   queue.syncTimeoutMs), for deployments that keep inference off the API machines.
 * A plain method the controller calls first rather than an interceptor: interceptors cost every inline
 * prediction an rxjs pipeline and an AsyncResource binding (measured in the profile of `npm run bench`).
 */
@Injectable()
export class QueueRouting {
  constructor(private readonly jobs: JobsService) {}

  /** Undefined (not a promise of it) for an inline prediction: the common case costs no extra await. */
  route(target: JobTarget, body: unknown, headers: Record<string, string | string[] | undefined>, reply: FastifyReply): Promise<QueueRouted> | undefined {
    if (prefersAsync(headers.prefer)) {
      const key = checkIdempotencyKey(headers['idempotency-key'] as string | undefined);
      return this.jobs.submit(target, body, key).then((submitted) => {
        void reply.header('Preference-Applied', 'respond-async');
        return { body: acceptedReply(reply, submitted) };
      });
    }
    if (this.jobs.routesThroughQueue(target)) return this.jobs.predictThroughQueue(target, body).then((answer) => ({ body: answer }));
    return undefined;
  }
}
