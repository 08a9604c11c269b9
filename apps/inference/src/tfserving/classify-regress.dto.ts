import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of :classify and :regress, documented for Swagger; the decoder checks it against the model's inputs. */
export class ExamplesRequestDto {
  @ApiPropertyOptional({ description: 'serving_default (also accepted: tensorflow/serving/classify or tensorflow/serving/regress)', example: 'serving_default' })
  signature_name?: string;

  @ApiPropertyOptional({ description: 'Features shared by every example; a feature also in an example is taken from the example', type: 'object', additionalProperties: true })
  context?: Record<string, unknown>;

  @ApiProperty({
    description: 'One feature map per example: each model input by name, as a value or a flat list of values',
    example: [{ features: [5.1, 3.5, 1.4, 0.2] }],
    type: 'array',
    items: { type: 'object', additionalProperties: true },
  })
  examples!: Record<string, unknown>[];
}

export class ClassifyResponseDto {
  @ApiProperty({
    description: 'Per example, every class as [label, score], highest score first',
    example: [[['setosa', 0.9975], ['versicolor', 0.0025], ['virginica', 0]]],
    type: 'array',
    items: { type: 'array', items: { type: 'array', items: {} } },
  })
  results!: [string, number][][];
}

export class RegressResponseDto {
  @ApiProperty({ description: 'One value per example, in order', example: [3.5, 4], type: 'array', items: { type: 'number' } })
  results!: number[];
}

/** Examples that run against the default models (iris is a classifier with labels). */
export const CLASSIFY_EXAMPLES = {
  rows: { summary: 'Two iris flowers', value: { examples: [{ features: [5.1, 3.5, 1.4, 0.2] }, { features: [6.7, 3.0, 5.2, 2.3] }] } },
};

/**
 * No default model is a regression model: these are bodies for one whose input is `x` of shape [-1, 1]
 * (the OpenAPI examples test serves such a model under the name the marker gives).
 */
export const REGRESS_EXAMPLES = {
  rows: { summary: 'A model with input x [-1, 1] and one output [-1, 1]', 'x-path-parameters': { name: 'linear' }, value: { examples: [{ x: 1.0 }, { x: 2.0 }] } },
  context: { summary: 'The same, with a feature shared by every example', 'x-path-parameters': { name: 'linear' }, value: { context: { x: 1.0 }, examples: [{}, { x: 2.0 }] } },
};
