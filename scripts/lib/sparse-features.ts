import { TextFeaturizer } from '../../libs/models/src/transforms/text-features';
import { SparseRow } from './softmax-regression';

const CHUNK_ROWS = 64;

/**
 * Featurizes with the serving featurizer and keeps only the non-zero entries: training on the exact
 * Float32 values the server will compute removes one way for training and serving to disagree.
 */
export function sparseTextFeatures(featurizer: TextFeaturizer, texts: readonly string[]): SparseRow[] {
  const rows: SparseRow[] = [];
  const width = featurizer.dimensions;
  for (let start = 0; start < texts.length; start += CHUNK_ROWS) {
    const dense = featurizer.featurize(texts.slice(start, start + CHUNK_ROWS));
    for (let offset = 0; offset < dense.length; offset += width) {
      const indices: number[] = [];
      for (let j = 0; j < width; j++) if (dense[offset + j] !== 0) indices.push(j);
      rows.push({ indices: Int32Array.from(indices), values: Float64Array.from(indices, (j) => dense[offset + j]) });
    }
  }
  return rows;
}

export function denseRows(rows: readonly number[][]): SparseRow[] {
  return rows.map((row) => ({ indices: Int32Array.from(row, (_, j) => j), values: Float64Array.from(row) }));
}
