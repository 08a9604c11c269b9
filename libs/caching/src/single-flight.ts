/** How a unit's value came to be: read from a cache tier, or computed by the model. */
export type FlightSource = 'cache' | 'model';

export interface Landed<V> {
  value: V;
  source: FlightSource;
}

/** One in-flight lookup-or-computation of a key, which later arrivals join instead of starting another. */
export class Flight<V> {
  readonly promise: Promise<Landed<V>>;
  private settle!: { resolve: (v: Landed<V>) => void; reject: (e: unknown) => void };
  settled = false;

  constructor() {
    this.promise = new Promise<Landed<V>>((resolve, reject) => (this.settle = { resolve, reject }));
    // Nobody may have joined: a failure must not become an unhandled rejection. Joiners still see it.
    this.promise.catch(() => undefined);
  }

  resolve(value: V, source: FlightSource): void {
    if (this.settled) return;
    this.settled = true;
    this.settle.resolve({ value, source });
  }

  reject(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.settle.reject(error);
  }
}

/**
 * Single-flight by key: the first caller for a key owns its flight and must land it (resolve or reject)
 * and then release it; callers that arrive meanwhile join the same promise. A flight may stay registered
 * for a moment after it resolved (until the cache fill is done), so that nobody starts the same work in
 * between; joining a resolved flight answers at once.
 */
export class SingleFlight<V> {
  private readonly flights = new Map<string, Flight<V>>();

  /** The existing flight (joined: `owner` false), or a new one this caller owns. */
  acquire(key: string): { flight: Flight<V>; owner: boolean } {
    const existing = this.flights.get(key);
    if (existing) return { flight: existing, owner: false };
    const flight = new Flight<V>();
    this.flights.set(key, flight);
    return { flight, owner: true };
  }

  release(key: string, flight: Flight<V>): void {
    if (this.flights.get(key) === flight) this.flights.delete(key);
  }

  get size(): number {
    return this.flights.size;
  }
}
