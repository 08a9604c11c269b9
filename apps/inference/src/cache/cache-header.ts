import type { FastifyReply } from 'fastify';
import type { CacheOutcome } from '@app/caching';

/** `X-Cache: hit | miss | shared`, as Varnish, CDNs and Triton's response cache report it. */
export const CACHE_HEADER = 'X-Cache';

/** For @ApiOkResponse({ headers }) of the prediction routes. */
export const CACHE_HEADER_DOC = {
  [CACHE_HEADER]: {
    description:
      'hit: every row answered from the prediction cache; shared: joined an identical prediction already running; miss: the model ran. Absent when the model\'s cache is off.',
    schema: { type: 'string', enum: ['hit', 'miss', 'shared'] },
  },
};

/** Sets X-Cache from how the cache answered (nothing when the model's cache is off) and gives back the body. */
export function withCacheHeader<T>(reply: FastifyReply, answer: { body: T; cache?: CacheOutcome }): T {
  if (answer.cache) void reply.header(CACHE_HEADER, answer.cache);
  return answer.body;
}
