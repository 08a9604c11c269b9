import { ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The body of :predict, documented for Swagger. It is deliberately not run through class-validator: the
 * decoder checks it against the model's own signature, field by field, which is both stricter and cheaper
 * on the hot path than a generic validation pass over thousands of numbers.
 *
 * `instances` and `inputs` exclude each other (TF Serving answers 400 to a body with both). A class can
 * only declare them as two optional properties, so the document turns every schema that has both into a
 * oneOf of the two forms (docs/predict-body-forms.ts): Swagger UI's default body is then the row form
 * alone, not both at once.
 */
export class PredictRequestDto {
  @ApiPropertyOptional({
    description: 'Row format: one entry per instance; with several inputs each instance is an object of named inputs',
    example: [[5.1, 3.5, 1.4, 0.2]],
    type: 'array',
    items: {},
  })
  instances?: unknown[];

  @ApiPropertyOptional({
    description: 'Columnar format: the whole batch per input (a list for a single input, or an object of named inputs)',
    example: [[5.1, 3.5, 1.4, 0.2]],
    oneOf: [{ type: 'array', items: {} }, { type: 'object', additionalProperties: true }],
  })
  inputs?: unknown;

  @ApiPropertyOptional({ description: 'Only serving_default exists', example: 'serving_default' })
  signature_name?: string;

  @ApiPropertyOptional({ description: 'modelgate extension: only the k most probable classes', example: 2, minimum: 1 })
  top_k?: number;
}

export class ClassificationDto {
  @ApiPropertyOptional({ example: 'setosa' }) label!: string;
  @ApiPropertyOptional({ example: 0.98 }) score!: number;
  @ApiPropertyOptional({ example: { setosa: 0.98, versicolor: 0.02, virginica: 0 } }) probabilities!: Record<string, number>;
}

export class PredictResponseDto {
  @ApiPropertyOptional({
    description: 'Row format answer: per instance, the classification form for models with labels, else the output tensors',
    example: [{ label: 'setosa', score: 0.98, probabilities: { setosa: 0.98, versicolor: 0.02, virginica: 0 } }],
    type: 'array',
    items: {},
  })
  predictions?: unknown[];

  @ApiPropertyOptional({ description: 'Columnar format answer' })
  outputs?: unknown;
}
