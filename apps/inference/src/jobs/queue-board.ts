import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyGuard } from '@app/access';
import { ModelRegistry } from '@app/models';
import { sendError, toErrorResponse } from '@app/platform';
import { PredictQueues } from '@app/queue';
import { basicPassword, BOARD_CHALLENGE } from './board-login';
import { withoutRemoteLinks } from './board-page';

export const QUEUE_BOARD_ROUTE = '/admin/queues';

/**
 * bull-board at /admin/queues: operators see every model queue and can retry or remove jobs. Its routes
 * are a Fastify plugin, outside Nest's router and so outside the global ApiKeyGuard: a Fastify onRequest
 * hook makes the same admin-key decision for them (401 without or with an unknown key, 403 without the
 * admin scope). A browser logs in with HTTP Basic (board-login.ts); scripts keep sending the key as
 * Bearer or X-API-Key. Queues are added as models become available, as the workers are.
 * The plugin is registered here rather than through @bull-board/nestjs, whose module adds a Nest
 * middleware, and with it @fastify/middie's matching, to every request of the app. The hooks are
 * synchronous and look at the path only when it could name the board.
 */
@Injectable()
export class QueueBoard implements OnModuleInit {
  private readonly shown = new Set<string>();

  private readonly adapter = new FastifyAdapter().setBasePath(QUEUE_BOARD_ROUTE);
  private readonly board = createBullBoard({ queues: [], serverAdapter: this.adapter });

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly guard: ApiKeyGuard,
    private readonly registry: ModelRegistry,
    private readonly queues: PredictQueues,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void fastify.register(this.adapter.registerPlugin() as never, { prefix: QUEUE_BOARD_ROUTE });
    fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (!isBoardRequest(request)) return done();
      // The guard reads a key from the API's header forms; a browser's Basic password is that key.
      const password = basicPassword(request.headers.authorization);
      try {
        this.guard.assert('admin', password === undefined ? request.headers : { 'x-api-key': password });
      } catch (error) {
        const answer = toErrorResponse(error, request.id);
        if (answer.status === 401) void reply.header('WWW-Authenticate', BOARD_CHALLENGE);
        sendError(reply, answer); // answered here: the route never runs
        return;
      }
      done();
    });
    fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
      if (!isBoardRequest(request) || typeof payload !== 'string' || !/^text\/html/i.test(String(reply.getHeader('content-type')))) return done(null, payload);
      done(null, withoutRemoteLinks(payload));
    });
    this.registry.onAvailable((servable) => this.show(servable.name));
    for (const servable of this.registry.available()) this.show(servable.name);
  }

  private show(model: string): void {
    if (this.shown.has(model)) return;
    this.shown.add(model);
    this.board.addQueue(new BullMQAdapter(this.queues.of(model).queue));
  }
}

const MAY_NAME_BOARD = /admin|%/i;

/** By the matched route (what the plugin serves) and by the path (whatever did not match a route). */
function isBoardRequest(request: FastifyRequest): boolean {
  // Any spelling of the board's path holds 'admin' (in any case, should routing ever fold it) or a percent
  // escape: the rest cannot be it.
  if (!MAY_NAME_BOARD.test(request.url)) return false;
  const path = request.url.split('?')[0];
  const under = (p: string | undefined) => p !== undefined && (p === QUEUE_BOARD_ROUTE || p.startsWith(`${QUEUE_BOARD_ROUTE}/`));
  return under(request.routeOptions?.url) || under(path) || under(safeDecode(path).replace(/\/{2,}/g, '/'));
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
