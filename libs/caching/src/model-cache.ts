import { Cache, createCache } from 'cache-manager';
import { Keyv } from 'keyv';
import { TensorMap } from '@app/models';
import { CacheCounters } from './cache-metrics';
import { CacheSettings } from './cache-settings';
import { RedisCacheTier, REDIS_TIER_TIMEOUT_MS } from './redis-tier';
import { rowKeys, wholeKey } from './row-key';
import { Flight, Landed, SingleFlight } from './single-flight';
import { PolicyStore } from './stores/policy-store';
import { CachedOutputs, copyOutputs, copyRow, gatherRows, stackRows } from './tensor-rows';
import { withTimeout } from '@app/time';

/** What Keyv keeps in its store per key (no serializer: the object itself). */
interface KeyvEntry {
  value?: CachedOutputs;
  expires?: number;
}

/** hit: every row came from the cache; shared: none computed here, some joined another request's computation; miss: some computed here. */
export type CacheOutcome = 'hit' | 'miss' | 'shared';

export interface CachedRun {
  /** The declared outputs, rows in request order. */
  outputs: TensorMap;
  outcome: CacheOutcome;
}

/** Runs the model on some rows of the request (already sliced); resolves to their outputs, rows in order. */
export type ComputeRows = (inputs: TensorMap, rows: number) => Promise<TensorMap>;

export interface ModelCacheOptions {
  /** `<model>@<version>:` */
  prefix: string;
  settings: CacheSettings;
  /** false: the model has no batch dimension, so a whole request is one cache entry. */
  batchable: boolean;
  memory?: Keyv<CachedOutputs>;
  /** The store under `memory`, read directly for requests it can answer whole (see `run`). */
  memoryStore?: PolicyStore<object>;
  redis?: RedisCacheTier;
  counters: CacheCounters;
}

type Claim = { flight: Flight<CachedOutputs>; owner: boolean };

/**
 * The cache of one loaded model version, per row: the rows of a request are looked up by key, the rows
 * found are answered from the cache, the rest go to the model as one smaller request, and the answer is
 * stacked back in request order. Every key is single-flight: a row that another request is already
 * looking up or computing joins it, so N identical concurrent requests run one inference.
 *
 * Tiers are Keyv stores under one cache-manager cache, which writes every tier (with the TTL) in one
 * `mset`. Reads walk the tiers themselves, memory first, so that a Redis hit also fills memory (the
 * cache-manager's own mget does not) and an unavailable Redis is simply a miss.
 */
export class ModelCache {
  /** Set when the version is reloaded or unloaded: its requests in flight then bypass the cache entirely. */
  retired = false;
  private readonly tiers: Cache;
  private readonly flights = new SingleFlight<CachedOutputs>();
  /** While a reload's Redis invalidation runs, Redis may still hold the previous load's answers. */
  private redisPaused = false;

  constructor(private readonly options: ModelCacheOptions) {
    const stores = [options.memory, options.redis?.keyv].filter((s): s is Keyv<CachedOutputs> => s !== undefined);
    this.tiers = createCache({ stores, ttl: options.settings.ttlSeconds * 1000 });
  }

  get settings(): CacheSettings {
    return this.options.settings;
  }

  /** Skips Redis reads until `work` settles (it deletes this version's Redis keys). */
  pauseRedisUntil(work: Promise<unknown>): void {
    this.redisPaused = true;
    void work.finally(() => (this.redisPaused = false));
  }

  async run(inputs: TensorMap, rows: number, compute: ComputeRows): Promise<CachedRun> {
    if (this.retired) return { outputs: await compute(inputs, rows), outcome: 'miss' };
    // Keys first: computing hands the input buffers to a worker thread.
    const keys = this.options.batchable ? rowKeys(this.options.prefix, inputs, rows) : [wholeKey(this.options.prefix, inputs)];
    const answered = this.fromMemory(keys);
    if (answered) return answered;
    const claims = new Map<string, Claim>();
    for (const key of keys) if (!claims.has(key)) claims.set(key, this.flights.acquire(key));
    const owned = [...claims].filter(([, c]) => c.owner).map(([key]) => key);

    let computedAll: TensorMap | undefined;
    try {
      const found = await this.lookup(owned);
      const missing: string[] = [];
      owned.forEach((key, i) => {
        const value = found[i];
        if (value === undefined) return void missing.push(key);
        const { flight } = claims.get(key)!;
        flight.resolve(value, 'cache');
        this.flights.release(key, flight);
      });
      if (missing.length > 0) computedAll = await this.computeMissing(inputs, rows, keys, missing, claims, compute);
    } catch (error) {
      for (const key of owned) {
        const { flight } = claims.get(key)!;
        flight.reject(error);
        this.flights.release(key, flight);
      }
      throw error;
    }

    const landed = new Map<string, Landed<CachedOutputs>>();
    await Promise.all([...claims].map(async ([key, claim]) => landed.set(key, await claim.flight.promise)));
    const outcome = this.count(keys, claims, landed);
    if (computedAll) return { outputs: computedAll, outcome };
    if (!this.options.batchable) return { outputs: copyOutputs(landed.get(keys[0])!.value), outcome };
    const stacked = stackRows(keys.map((key) => landed.get(key)!.value));
    // Rows that disagree on an output's shape cannot be stacked: compute the request as a whole instead.
    return stacked ? { outputs: stacked, outcome } : { outputs: await compute(inputs, rows), outcome: 'miss' };
  }

  /**
   * The common hit: every row in the memory tier. Answered from the store as it is, with none of the
   * single-flight and Keyv promises a partial hit needs (a cache hit must cost less than a computation;
   * through the general path it cost more, measured). Undefined sends the request the general way.
   */
  private fromMemory(keys: string[]): CachedRun | undefined {
    const store = this.options.memoryStore;
    if (!store) return undefined;
    const now = Date.now();
    const values = new Array<CachedOutputs>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const entry = store.get(keys[i]) as KeyvEntry | undefined;
      // Keyv's own rule for expiry; the general path then drops the entry.
      if (!entry?.value || (typeof entry.expires === 'number' && entry.expires < now)) return undefined;
      values[i] = entry.value;
    }
    if (!this.options.batchable) {
      this.options.counters.hit(1);
      return { outputs: copyOutputs(values[0]), outcome: 'hit' };
    }
    const stacked = stackRows(values);
    if (!stacked) return undefined;
    this.options.counters.hit(keys.length);
    return { outputs: stacked, outcome: 'hit' };
  }

  /**
   * Runs the rows no tier had, as one request, lands their flights, fills the tiers, and only then releases
   * the flights (an identical request arriving during the fill joins rather than computing again).
   * Returns the model's outputs when they are the whole answer (every row computed, in order).
   */
  private async computeMissing(
    inputs: TensorMap,
    requestRows: number,
    keys: string[],
    missing: string[],
    claims: Map<string, Claim>,
    compute: ComputeRows,
  ): Promise<TensorMap | undefined> {
    const firstRow = new Map<string, number>();
    keys.forEach((key, row) => firstRow.has(key) || firstRow.set(key, row));
    const rows = missing.map((key) => firstRow.get(key)!);
    const everyRow = rows.length === keys.length;
    const outputs = everyRow ? await compute(inputs, requestRows) : await compute(gatherRows(inputs, rows), rows.length);
    const entries = missing.map((key, j) => ({ key, value: this.options.batchable ? copyRow(outputs, j) : copyOutputs(outputs) }));
    for (const { key, value } of entries) claims.get(key)!.flight.resolve(value, 'model');
    if (!this.retired) await this.fill(entries);
    for (const { key } of entries) this.flights.release(key, claims.get(key)!.flight);
    return everyRow ? outputs : undefined;
  }

  /** Memory, then Redis for what memory lacked (filling memory with what Redis had). Never throws. */
  private async lookup(keys: string[]): Promise<Array<CachedOutputs | undefined>> {
    if (keys.length === 0) return [];
    const { memory, redis } = this.options;
    const found: Array<CachedOutputs | undefined> = memory ? await memory.getMany(keys).catch(() => keys.map(() => undefined)) : keys.map(() => undefined);
    if (!redis || this.redisPaused) return found;
    const absent = keys.filter((_, i) => found[i] === undefined);
    if (absent.length === 0) return found;
    const fromRedis = await redis.getMany(absent);
    const refill: Array<{ key: string; value: CachedOutputs; ttl: number }> = [];
    const now = Date.now();
    let j = 0;
    keys.forEach((key, i) => {
      if (found[i] !== undefined) return;
      const entry = fromRedis[j++];
      if (!entry?.value) return;
      found[i] = entry.value;
      // The memory copy expires with the Redis one.
      const ttl = typeof entry.expires === 'number' ? entry.expires - now : this.options.settings.ttlSeconds * 1000;
      if (ttl > 0) refill.push({ key, value: entry.value, ttl });
    });
    if (memory && refill.length > 0) await memory.setMany(refill).catch(() => undefined);
    return found;
  }

  private async fill(entries: Array<{ key: string; value: CachedOutputs }>): Promise<void> {
    // Memory is written at once; a slow Redis is given up on after the timeout (the write may still land).
    await withTimeout(this.tiers.mset(entries), REDIS_TIER_TIMEOUT_MS, () => new Error(`cache fill: no answer within ${REDIS_TIER_TIMEOUT_MS} ms`)).catch(() => undefined);
  }

  private count(keys: string[], claims: Map<string, Claim>, landed: Map<string, Landed<CachedOutputs>>): CacheOutcome {
    let cached = 0;
    let computedHere = 0;
    let joined = 0;
    for (const key of keys) {
      if (landed.get(key)!.source === 'cache') cached++;
      else if (claims.get(key)!.owner) computedHere++;
      else joined++;
    }
    const { counters } = this.options;
    counters.hit(cached);
    counters.miss(computedHere);
    counters.shared(joined);
    return computedHere > 0 ? 'miss' : joined > 0 ? 'shared' : 'hit';
  }
}
