/**
 * Hashed bag-of-n-grams text features. The training scripts and the server both call this file, so a
 * model sees exactly the same numbers at request time as it did in training: keep it pure TypeScript
 * (no Nest, no I/O) and deterministic, and treat any change to its output as a change to every model
 * trained with it.
 */

export interface TextFeaturesSpec {
  type: 'text-features';
  /** Name of the public BYTES input the texts come from. */
  input: string;
  /** Name of the FP32 [batch, dimensions] tensor handed to the model. */
  output: string;
  /** 'char': n-grams of characters inside word boundaries (scikit-learn's char_wb); 'word': n-grams of tokens. */
  analyzer: 'char' | 'word';
  ngramRange: [number, number];
  dimensions: number;
  lowercase?: boolean;
  stripAccents?: boolean;
  sublinearTf?: boolean;
  norm?: 'l2' | 'none';
  maxChars?: number;
}

export const MAX_TEXT_FEATURE_DIMENSIONS = 2 ** 20;
const MAX_NGRAM = 8;
const DEFAULT_MAX_CHARS = 20_000;
const MAX_MAX_CHARS = 10_000_000;
const SPEC_FIELDS = [
  'type', 'input', 'output', 'analyzer', 'ngramRange', 'dimensions',
  'lowercase', 'stripAccents', 'sublinearTf', 'norm', 'maxChars',
] as const;

/** Checks a spec read from model.json and returns it with every optional field filled in. */
export function validateTextFeaturesSpec(raw: unknown): Required<TextFeaturesSpec> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error('text-features spec must be an object');
  }
  const spec = raw as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (!(SPEC_FIELDS as readonly string[]).includes(key)) {
      throw new Error(`text-features spec: unknown field '${key}' (allowed: ${SPEC_FIELDS.join(', ')})`);
    }
  }
  if (spec.type !== 'text-features') {
    throw new Error(`text-features spec: 'type' must be 'text-features' (got ${describe(spec.type)})`);
  }
  return {
    type: 'text-features',
    input: nonEmptyString(spec, 'input'),
    output: nonEmptyString(spec, 'output'),
    analyzer: oneOf(spec, 'analyzer', ['char', 'word'] as const, undefined),
    ngramRange: ngramRange(spec.ngramRange),
    dimensions: integerIn(spec, 'dimensions', 1, MAX_TEXT_FEATURE_DIMENSIONS, undefined),
    lowercase: booleanOr(spec, 'lowercase', true),
    stripAccents: booleanOr(spec, 'stripAccents', false),
    sublinearTf: booleanOr(spec, 'sublinearTf', false),
    norm: oneOf(spec, 'norm', ['l2', 'none'] as const, 'l2'),
    maxChars: integerIn(spec, 'maxChars', 1, MAX_MAX_CHARS, DEFAULT_MAX_CHARS),
  };
}

export class TextFeaturizer {
  readonly dimensions: number;
  private readonly spec: Required<TextFeaturesSpec>;
  /** FNV state after hashing the `${n}:` prefix, indexed by n. */
  private readonly prefixHashes: number[] = [];
  private readonly touched: number[] = [];
  private readonly codePoints: number[] = [];

  constructor(spec: TextFeaturesSpec) {
    this.spec = validateTextFeaturesSpec(spec);
    this.dimensions = this.spec.dimensions;
    for (let n = 0; n <= MAX_NGRAM + 2; n++) this.prefixHashes.push(fnv1aFeed(FNV_OFFSET_BASIS, `${n}:`));
  }

  /** Returns texts.length x dimensions features, row-major. An empty text gives a row of zeros. */
  featurize(texts: readonly string[]): Float32Array {
    const features = new Float32Array(texts.length * this.dimensions);
    for (let row = 0; row < texts.length; row++) {
      const offset = row * this.dimensions;
      const text = normalizeText(texts[row], this.spec);
      if (this.spec.analyzer === 'char') this.countCharNgrams(text, features, offset);
      else this.countWordNgrams(text, features, offset);
      this.weighRow(features, offset);
    }
    return features;
  }

  private countCharNgrams(text: string, features: Float32Array, offset: number): void {
    const [minN, maxN] = this.spec.ngramRange;
    const cps = this.codePoints;
    for (const word of text.split(' ')) {
      if (word === '') continue;
      // Pad with the boundary marker so prefixes and suffixes are features of their own (char_wb).
      cps.length = 0;
      cps.push(SPACE);
      pushCodePoints(word, cps);
      cps.push(SPACE);
      for (let n = minN; n <= maxN; n++) {
        if (cps.length <= n) {
          // Like scikit-learn: a word no longer than n is counted once, as a whole, and not again for larger n.
          this.count(hashCodePoints(this.prefixHashes[cps.length], cps, 0, cps.length), features, offset);
          break;
        }
        for (let start = 0; start + n <= cps.length; start++) {
          this.count(hashCodePoints(this.prefixHashes[n], cps, start, start + n), features, offset);
        }
      }
    }
  }

  private countWordNgrams(text: string, features: Float32Array, offset: number): void {
    const [minN, maxN] = this.spec.ngramRange;
    const tokens = text.match(WORD_TOKEN) ?? [];
    for (let n = minN; n <= maxN; n++) {
      for (let start = 0; start + n <= tokens.length; start++) {
        let hash = this.prefixHashes[n];
        for (let i = start; i < start + n; i++) {
          if (i > start) hash = fnv1aByte(hash, SPACE);
          hash = fnv1aFeed(hash, tokens[i]);
        }
        this.count(hash, features, offset);
      }
    }
  }

  private count(hash: number, features: Float32Array, offset: number): void {
    const index = (hash >>> 0) % this.dimensions;
    if (features[offset + index] === 0) this.touched.push(index);
    features[offset + index] += 1;
  }

  private weighRow(features: Float32Array, offset: number): void {
    let sumOfSquares = 0;
    for (const index of this.touched) {
      const count = features[offset + index];
      const weight = this.spec.sublinearTf ? 1 + Math.log(count) : count;
      features[offset + index] = weight;
      sumOfSquares += weight * weight;
    }
    // sumOfSquares is 0 only for a row with no n-grams; leaving it zero avoids 0/0 = NaN.
    if (this.spec.norm === 'l2' && sumOfSquares > 0) {
      const norm = Math.sqrt(sumOfSquares);
      for (const index of this.touched) features[offset + index] /= norm;
    }
    this.touched.length = 0;
  }
}

/**
 * NFKC, optional lowercase and accent stripping, whitespace collapsed to single spaces, then cut to
 * maxChars so that the cost of n-gramming is bounded whatever a client sends.
 */
function normalizeText(raw: string, spec: Required<TextFeaturesSpec>): string {
  // Cut (generously) before normalising too: NFKC and the regexes are linear, but on a multi-megabyte body
  // they would still burn CPU on text that the final cut throws away.
  let text = raw.length > spec.maxChars * 4 ? raw.slice(0, spec.maxChars * 4) : raw;
  text = text.normalize('NFKC');
  if (spec.lowercase) text = text.toLowerCase();
  if (spec.stripAccents) text = text.normalize('NFD').replace(COMBINING_MARKS, '').normalize('NFC');
  text = text.replace(WHITESPACE_RUN, ' ').trim();
  if (text.length > spec.maxChars) {
    // Never keep half of a surrogate pair: it would hash as U+FFFD and differ from the untruncated text.
    const end = isHighSurrogate(text.charCodeAt(spec.maxChars - 1)) ? spec.maxChars - 1 : spec.maxChars;
    text = text.slice(0, end);
  }
  return text;
}

/**
 * 32-bit FNV-1a over the UTF-8 bytes of `text`. Chosen for feature hashing because it is specified
 * byte by byte (the same index in any language or runtime that re-implements the featurizer), has
 * no dependency and no seed, and spreads short strings well enough for hashing n-grams.
 */
export function fnv1a32(text: string): number {
  return fnv1aFeed(FNV_OFFSET_BASIS, text) >>> 0;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SPACE = 0x20;
const REPLACEMENT_CHARACTER = 0xfffd;
const COMBINING_MARKS = /\p{M}+/gu;
const WHITESPACE_RUN = /\s+/gu;
// Runs of letters, digits and apostrophes, plus $ ! % on their own: they carry signal for spam.
const WORD_TOKEN = /[\p{L}\p{N}']+|[$!%]/gu;

function fnv1aByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME);
}

function fnv1aCodePoint(hash: number, cp: number): number {
  if (cp < 0x80) return fnv1aByte(hash, cp);
  if (cp < 0x800) {
    hash = fnv1aByte(hash, 0xc0 | (cp >> 6));
    return fnv1aByte(hash, 0x80 | (cp & 0x3f));
  }
  if (cp < 0x10000) {
    hash = fnv1aByte(hash, 0xe0 | (cp >> 12));
    hash = fnv1aByte(hash, 0x80 | ((cp >> 6) & 0x3f));
    return fnv1aByte(hash, 0x80 | (cp & 0x3f));
  }
  hash = fnv1aByte(hash, 0xf0 | (cp >> 18));
  hash = fnv1aByte(hash, 0x80 | ((cp >> 12) & 0x3f));
  hash = fnv1aByte(hash, 0x80 | ((cp >> 6) & 0x3f));
  return fnv1aByte(hash, 0x80 | (cp & 0x3f));
}

function fnv1aFeed(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const cp = codePointAt(text, i);
    if (cp > 0xffff) i++;
    hash = fnv1aCodePoint(hash, cp);
  }
  return hash;
}

function hashCodePoints(hash: number, cps: readonly number[], start: number, end: number): number {
  for (let i = start; i < end; i++) hash = fnv1aCodePoint(hash, cps[i]);
  return hash;
}

function pushCodePoints(text: string, out: number[]): void {
  for (let i = 0; i < text.length; i++) {
    const cp = codePointAt(text, i);
    if (cp > 0xffff) i++;
    out.push(cp);
  }
}

/** The code point at i; a lone surrogate reads as U+FFFD, which is what TextEncoder would write. */
function codePointAt(text: string, i: number): number {
  const unit = text.charCodeAt(i);
  if (isHighSurrogate(unit) && i + 1 < text.length) {
    const next = text.charCodeAt(i + 1);
    if (next >= 0xdc00 && next <= 0xdfff) return ((unit - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
  }
  return unit >= 0xd800 && unit <= 0xdfff ? REPLACEMENT_CHARACTER : unit;
}

function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function ngramRange(value: unknown): [number, number] {
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((n) => Number.isInteger(n)) &&
    1 <= value[0] &&
    value[0] <= value[1] &&
    value[1] <= MAX_NGRAM;
  if (!ok) {
    throw new Error(
      `text-features spec: 'ngramRange' must be [min, max] integers with 1 <= min <= max <= ${MAX_NGRAM} (got ${describe(value)})`,
    );
  }
  return [value[0], value[1]];
}

function nonEmptyString(spec: Record<string, unknown>, field: string): string {
  const value = spec[field];
  if (typeof value !== 'string' || value === '') {
    throw new Error(`text-features spec: '${field}' must be a non-empty string (got ${describe(value)})`);
  }
  return value;
}

function oneOf<T extends string>(spec: Record<string, unknown>, field: string, allowed: readonly T[], fallback: T | undefined): T {
  const value = spec[field] ?? fallback;
  if (!allowed.includes(value as T)) {
    throw new Error(`text-features spec: '${field}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')} (got ${describe(spec[field])})`);
  }
  return value as T;
}

function integerIn(spec: Record<string, unknown>, field: string, min: number, max: number, fallback: number | undefined): number {
  const value = spec[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`text-features spec: '${field}' must be an integer between ${min} and ${max} (got ${describe(spec[field])})`);
  }
  return value;
}

function booleanOr(spec: Record<string, unknown>, field: string, fallback: boolean): boolean {
  const value = spec[field] ?? fallback;
  if (typeof value !== 'boolean') {
    throw new Error(`text-features spec: '${field}' must be a boolean (got ${describe(value)})`);
  }
  return value;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
}
