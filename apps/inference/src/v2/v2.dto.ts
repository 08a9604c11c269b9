import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * Swagger documentation of the KServe V2 bodies. Like the TF Serving DTOs they are not run through
 * class-validator: the codec checks a request against the model's own signature, naming the field.
 */

const PARAMETERS = {
  type: 'object' as const,
  additionalProperties: { oneOf: [{ type: 'string' as const }, { type: 'number' as const }, { type: 'boolean' as const }] },
};

export class V2RequestInputDto {
  @ApiProperty({ example: 'features' }) name!: string;
  @ApiProperty({ description: 'The whole batch: first dimension = rows', example: [2, 4], type: [Number] }) shape!: number[];
  @ApiProperty({ enum: ['BOOL', 'UINT8', 'INT8', 'INT16', 'INT32', 'INT64', 'FP32', 'FP64', 'BYTES'], example: 'FP32' }) datatype!: string;
  @ApiPropertyOptional({ ...PARAMETERS, description: 'binary_data_size: the tensor is in the binary tail of the body' })
  parameters?: Record<string, unknown>;
  @ApiPropertyOptional({
    description: 'Row-major, flat or nested in the shape; BYTES elements are strings (or {"b64": ...})',
    example: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3],
    type: 'array',
    items: {},
  })
  data?: unknown[];
}

export class V2RequestOutputDto {
  @ApiProperty({ example: 'probabilities' }) name!: string;
  @ApiPropertyOptional({ ...PARAMETERS, description: 'binary_data: true answers this output in the binary tail (application/octet-stream); classification is refused' })
  parameters?: Record<string, unknown>;
}

export class V2InferRequestDto {
  @ApiPropertyOptional({ description: 'Echoed in the response', example: '42' }) id?: string;
  @ApiPropertyOptional({
    ...PARAMETERS,
    description: 'timeout: microseconds (Triton schedule policy), capped at the server deadline; binary_data_output: true answers every output in the binary tail',
    example: { timeout: 500000 },
  })
  parameters?: Record<string, unknown>;
  @ApiProperty({ type: [V2RequestInputDto] }) inputs!: V2RequestInputDto[];
  @ApiPropertyOptional({
    type: [V2RequestOutputDto],
    description: 'Only these outputs are answered (all by default); models with labels also have "label"',
    example: [{ name: 'probabilities' }, { name: 'label' }],
  })
  outputs?: V2RequestOutputDto[];
}

export class V2ResponseOutputDto {
  @ApiProperty({ example: 'probabilities' }) name!: string;
  @ApiProperty({ example: 'FP32' }) datatype!: string;
  @ApiProperty({ example: [2, 3], type: [Number] }) shape!: number[];
  @ApiPropertyOptional({ example: [0.97, 0.03, 0, 0, 0.02, 0.98], type: 'array', items: {} }) data?: unknown[];
  @ApiPropertyOptional({ ...PARAMETERS, description: 'binary_data_size: this output is in the binary tail, after the JSON' })
  parameters?: Record<string, unknown>;
}

export class V2InferResponseDto {
  @ApiProperty({ example: 'iris' }) model_name!: string;
  @ApiProperty({ example: '1' }) model_version!: string;
  @ApiPropertyOptional({ example: '42' }) id?: string;
  @ApiProperty({
    type: [V2ResponseOutputDto],
    example: [
      { name: 'probabilities', datatype: 'FP32', shape: [2, 3], data: [0.97, 0.03, 0, 0, 0.02, 0.98] },
      { name: 'label', datatype: 'BYTES', shape: [2], data: ['setosa', 'virginica'] },
    ],
  })
  outputs!: V2ResponseOutputDto[];
}

export class V2MetadataTensorDto {
  @ApiProperty({ example: 'features' }) name!: string;
  @ApiProperty({ example: 'FP32' }) datatype!: string;
  @ApiProperty({ example: [-1, 4], type: [Number] }) shape!: number[];
}

export class V2ModelMetadataDto {
  @ApiProperty({ example: 'iris' }) name!: string;
  @ApiProperty({ example: ['1'], type: [String] }) versions!: string[];
  @ApiProperty({ example: 'onnxruntime_onnx' }) platform!: string;
  @ApiProperty({ type: [V2MetadataTensorDto], example: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }] })
  inputs!: V2MetadataTensorDto[];
  @ApiProperty({
    type: [V2MetadataTensorDto],
    example: [
      { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
      { name: 'label', datatype: 'BYTES', shape: [-1] },
    ],
  })
  outputs!: V2MetadataTensorDto[];
}

export class V2ServerMetadataDto {
  @ApiProperty({ example: 'modelgate' }) name!: string;
  @ApiProperty({ example: '0.1.0' }) version!: string;
  @ApiProperty({ example: ['model_repository', 'binary_tensor_data'], type: [String] }) extensions!: string[];
}

export class V2ModelReadyDto {
  @ApiProperty({ example: 'iris' }) name!: string;
  @ApiProperty({ example: true }) ready!: boolean;
}

export class V2ServerReadyDto {
  @ApiProperty({ example: true }) ready!: boolean;
  @ApiPropertyOptional({ description: 'When not ready: the parts that are down', example: 'redis: Redis does not answer' }) error?: string;
}

export class V2ServerLiveDto {
  @ApiProperty({ example: true }) live!: boolean;
}
