import { fnv1a32, TextFeaturesSpec, TextFeaturizer, validateTextFeaturesSpec } from './text-features';

const BIG = 2 ** 20; // few enough collisions that each expected n-gram gets an index of its own

function spec(overrides: Partial<TextFeaturesSpec> = {}): TextFeaturesSpec {
  return {
    type: 'text-features', input: 'text', output: 'features',
    analyzer: 'char', ngramRange: [2, 2], dimensions: BIG, norm: 'none', ...overrides,
  };
}

/** The non-zero entries of a single-row result, as index -> value. */
function nonZero(row: Float32Array): Map<number, number> {
  const entries = new Map<number, number>();
  row.forEach((value, index) => value !== 0 && entries.set(index, value));
  return entries;
}

function l2Norm(row: Float32Array): number {
  let sumOfSquares = 0;
  for (const value of row) sumOfSquares += value * value;
  return Math.sqrt(sumOfSquares);
}

/** What a row should hold for these n-grams, each written as `${n}:${gram}`. */
function countsOf(keys: string[], dimensions = BIG): Map<number, number> {
  const counts = new Map<number, number>();
  for (const key of keys) {
    const index = fnv1a32(key) % dimensions;
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  return counts;
}

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('is pinned: changing the hash silently invalidates every trained model', () => {
    expect(fnv1a32('hello')).toBe(0x4f9f2cab);
    expect(fnv1a32('2:an')).toBe(3623167438);
  });

  it('hashes the UTF-8 bytes, including astral characters and lone surrogates as U+FFFD', () => {
    for (const text of ['café', 'naïve 日本語', 'emoji 😀 ok', 'lone \ud800 surrogate']) {
      let expected = 0x811c9dc5;
      for (const byte of new TextEncoder().encode(text)) expected = Math.imul(expected ^ byte, 0x01000193);
      expect(fnv1a32(text)).toBe(expected >>> 0);
    }
  });
});

describe('TextFeaturizer', () => {
  it('counts padded character n-grams inside word boundaries (char_wb)', () => {
    const row = new TextFeaturizer(spec()).featurize(['ann']);
    expect(nonZero(row)).toEqual(countsOf(['2: a', '2:an', '2:nn', '2:n ']));
  });

  it('counts a word no longer than n once, whole, and not again for larger n', () => {
    const row = new TextFeaturizer(spec({ ngramRange: [3, 5] })).featurize(['a bc']);
    expect(nonZero(row)).toEqual(countsOf(['3: a ', '3: bc', '3:bc ', '4: bc ']));
  });

  it('pins the feature index of a known n-gram', () => {
    const row = new TextFeaturizer(spec({ dimensions: 4096 })).featurize(['an']);
    expect([...nonZero(row).keys()].sort((a, b) => a - b)).toEqual([
      fnv1a32('2: a') % 4096, 3623167438 % 4096, fnv1a32('2:n ') % 4096,
    ].sort((a, b) => a - b));
    expect(3623167438 % 4096).toBe(1486);
  });

  it('counts word n-grams of letter/digit/apostrophe runs and single $ ! %', () => {
    const featurizer = new TextFeaturizer(spec({ analyzer: 'word', ngramRange: [1, 2] }));
    const row = featurizer.featurize(["Don't pay $100!! now-ish"]);
    expect(nonZero(row)).toEqual(countsOf([
      "1:don't", '1:pay', '1:$', '1:100', '1:!', '1:!', '1:now', '1:ish',
      "2:don't pay", '2:pay $', '2:$ 100', '2:100 !', '2:! !', '2:! now', '2:now ish',
    ]));
  });

  it('normalises case, accents, compatibility forms and whitespace before n-gramming', () => {
    const featurizer = new TextFeaturizer(spec({ ngramRange: [1, 3], stripAccents: true }));
    const [a, b] = [0, 1].map((i) => featurizer.featurize(['  Ｃafé\u00a0 au\tLAIT\n', 'cafe au lait'])
      .subarray(i * BIG, (i + 1) * BIG));
    expect(nonZero(a).size).toBeGreaterThan(0);
    expect(nonZero(a)).toEqual(nonZero(b));
  });

  it('keeps accents unless asked to strip them', () => {
    const featurizer = new TextFeaturizer(spec({ ngramRange: [1, 1] }));
    const rows = featurizer.featurize(['é', 'e']);
    expect(nonZero(rows.subarray(0, BIG))).not.toEqual(nonZero(rows.subarray(BIG)));
  });

  it('truncates to maxChars before n-gramming', () => {
    const featurizer = new TextFeaturizer(spec({ analyzer: 'word', ngramRange: [1, 1], maxChars: 7 }));
    const row = featurizer.featurize(['alpha beta gamma']);
    expect(nonZero(row)).toEqual(countsOf(['1:alpha', '1:b']));
  });

  it('bounds the work on a huge input', () => {
    const featurizer = new TextFeaturizer(spec({ analyzer: 'word', ngramRange: [1, 2], dimensions: 1024 }));
    const started = Date.now();
    const row = featurizer.featurize(['spam '.repeat(2_000_000)]);
    expect(Date.now() - started).toBeLessThan(2000);
    // The default maxChars of 20000 keeps 4000 'spam ' tokens and 3999 bigrams of them.
    expect(nonZero(row)).toEqual(new Map([
      [fnv1a32('1:spam') % 1024, 4000],
      [fnv1a32('2:spam spam') % 1024, 3999],
    ]));
  });

  it('applies sublinear tf and gives each non-empty row an L2 norm of 1', () => {
    const featurizer = new TextFeaturizer(spec({ analyzer: 'word', ngramRange: [1, 1], sublinearTf: true, norm: 'l2' }));
    const row = featurizer.featurize(['a a a a b']);
    const values = [...nonZero(row).values()].sort((a, b) => a - b);
    const scale = Math.hypot(1 + Math.log(4), 1);
    expect(values[0]).toBeCloseTo(1 / scale, 6);
    expect(values[1]).toBeCloseTo((1 + Math.log(4)) / scale, 6);
    expect(l2Norm(row)).toBeCloseTo(1, 6);
  });

  it('answers a row of zeros, not NaN, for an empty or blank text', () => {
    const featurizer = new TextFeaturizer(spec({ dimensions: 64, sublinearTf: true, norm: 'l2' }));
    const rows = featurizer.featurize(['', '   ', 'x']);
    expect(rows).toHaveLength(3 * 64);
    expect(rows.subarray(0, 128).every((v) => v === 0)).toBe(true);
    expect(l2Norm(rows.subarray(128))).toBeCloseTo(1, 6);
  });

  it('gives the same features for the same text on every call', () => {
    const featurizer = new TextFeaturizer(spec({ ngramRange: [1, 4], dimensions: 512, sublinearTf: true, norm: 'l2' }));
    const once = featurizer.featurize(['Maria', 'John', 'Zoë']);
    expect(featurizer.featurize(['Maria', 'John', 'Zoë'])).toEqual(once);
    expect(new TextFeaturizer(spec({ ngramRange: [1, 4], dimensions: 512, sublinearTf: true, norm: 'l2' }))
      .featurize(['John'])).toEqual(once.subarray(512, 1024));
  });
});

describe('validateTextFeaturesSpec', () => {
  it('fills in the defaults', () => {
    expect(validateTextFeaturesSpec({ type: 'text-features', input: 'name', output: 'features', analyzer: 'char', ngramRange: [1, 4], dimensions: 4096 }))
      .toEqual({
        type: 'text-features', input: 'name', output: 'features', analyzer: 'char', ngramRange: [1, 4], dimensions: 4096,
        lowercase: true, stripAccents: false, sublinearTf: false, norm: 'l2', maxChars: 20000,
      });
  });

  it.each([
    [{ dimensions: 0 }, /'dimensions' must be an integer between 1 and 1048576/],
    [{ dimensions: 2 ** 20 + 1 }, /'dimensions'/],
    [{ dimensions: 1.5 }, /'dimensions'/],
    [{ ngramRange: [0, 2] }, /'ngramRange'/],
    [{ ngramRange: [3, 2] }, /'ngramRange'/],
    [{ ngramRange: [1, 9] }, /'ngramRange'/],
    [{ ngramRange: [1] }, /'ngramRange'/],
    [{ analyzer: 'byte' }, /'analyzer' must be one of 'char', 'word'/],
    [{ norm: 'l1' }, /'norm'/],
    [{ lowercase: 'yes' }, /'lowercase' must be a boolean/],
    [{ maxChars: -1 }, /'maxChars'/],
    [{ input: '' }, /'input' must be a non-empty string/],
    [{ type: 'tokenizer' }, /'type' must be 'text-features'/],
    [{ ngram_range: [1, 2] }, /unknown field 'ngram_range'/],
  ])('rejects %j', (overrides, message) => {
    expect(() => validateTextFeaturesSpec({ ...spec(), ...overrides })).toThrow(message);
  });

  it('rejects a spec that is not an object', () => {
    expect(() => validateTextFeaturesSpec(null)).toThrow('text-features spec must be an object');
    expect(() => new TextFeaturizer('x' as unknown as TextFeaturesSpec)).toThrow(Error);
  });
});
