import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('gives the first caller the flight and the others the same promise', async () => {
    const flights = new SingleFlight<number>();
    const first = flights.acquire('k');
    const second = flights.acquire('k');
    expect(first.owner).toBe(true);
    expect(second.owner).toBe(false);
    expect(second.flight).toBe(first.flight);
    first.flight.resolve(42, 'model');
    await expect(second.flight.promise).resolves.toEqual({ value: 42, source: 'model' });
  });

  it('lets joiners arrive until the owner releases it, then starts afresh', () => {
    const flights = new SingleFlight<number>();
    const first = flights.acquire('k');
    first.flight.resolve(1, 'cache');
    expect(flights.acquire('k').owner).toBe(false);
    flights.release('k', first.flight);
    expect(flights.size).toBe(0);
    expect(flights.acquire('k').owner).toBe(true);
  });

  it('hands a failure to every joiner without an unhandled rejection when nobody joined', async () => {
    const flights = new SingleFlight<number>();
    const lonely = flights.acquire('a');
    lonely.flight.reject(new Error('nobody listens'));
    const owner = flights.acquire('b');
    const joiner = flights.acquire('b');
    owner.flight.reject(new Error('overloaded'));
    await expect(joiner.flight.promise).rejects.toThrow('overloaded');
  });

  it('does not let a stale release remove a newer flight', () => {
    const flights = new SingleFlight<number>();
    const old = flights.acquire('k');
    flights.release('k', old.flight);
    const fresh = flights.acquire('k');
    flights.release('k', old.flight);
    expect(flights.acquire('k').flight).toBe(fresh.flight);
  });
});
