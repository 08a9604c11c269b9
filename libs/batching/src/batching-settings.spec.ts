import { BatchingSettings, DEFAULT_BATCHING_SETTINGS, validateBatchingSettings } from './batching-settings';

describe('validateBatchingSettings', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_BATCHING_SETTINGS).toEqual({
      enabled: true,
      maxBatchSize: 64,
      maxDelayMs: 2,
      policy: 'aimd',
      latencySloMs: 50,
      aimdStep: 4,
      aimdFactor: 0.5,
      quantile: 0.99,
      maxQueue: 4096,
      maxInFlight: 1,
    });
  });

  it('fills the fields a model does not set from the defaults', () => {
    expect(validateBatchingSettings({ maxBatchSize: 32, policy: 'quantile' }, DEFAULT_BATCHING_SETTINGS)).toEqual({
      ...DEFAULT_BATCHING_SETTINGS,
      maxBatchSize: 32,
      policy: 'quantile',
    });
    expect(validateBatchingSettings(undefined, DEFAULT_BATCHING_SETTINGS)).toEqual(DEFAULT_BATCHING_SETTINGS);
  });

  it('names the bad field and value', () => {
    expect(() => validateBatchingSettings({ aimdFactor: 1.5 }, DEFAULT_BATCHING_SETTINGS)).toThrow(
      'batching.aimdFactor must be > 0 and < 1, got 1.5',
    );
  });

  it.each<[keyof BatchingSettings, unknown]>([
    ['enabled', 'yes'],
    ['maxBatchSize', 0],
    ['maxBatchSize', 2.5],
    ['maxDelayMs', -1],
    ['maxDelayMs', Infinity],
    ['policy', 'random'],
    ['latencySloMs', 0],
    ['aimdStep', 0],
    ['aimdFactor', 0],
    ['quantile', 1.01],
    ['quantile', '0.99'],
    ['maxQueue', 0],
    ['maxInFlight', 1.5],
  ])('refuses %s = %p', (field, value) => {
    expect(() => validateBatchingSettings({ [field]: value }, DEFAULT_BATCHING_SETTINGS)).toThrow(
      new RegExp(`^batching\\.${field} must `),
    );
  });

  it('refuses unknown fields, so that a typo is not silently ignored', () => {
    expect(() => validateBatchingSettings({ maxBatchsize: 8 }, DEFAULT_BATCHING_SETTINGS)).toThrow(
      /^batching\.maxBatchsize is not a batching setting/,
    );
  });

  it('refuses a batching block that is not an object', () => {
    expect(() => validateBatchingSettings([] as never, DEFAULT_BATCHING_SETTINGS)).toThrow('batching must be an object');
  });
});
