import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { JOB_STATES } from '@app/queue';
import { PredictRequestDto } from '../dto/predict-request.dto';

/** POST /v1/models/{name}/jobs: the :predict body plus the job's own options. */
export class JobRequestDto extends PredictRequestDto {
  @ApiPropertyOptional({ description: '1..10, 10 runs first (queue.defaultPriority when absent)', example: 10, minimum: 1, maximum: 10 })
  priority?: number;

  @ApiPropertyOptional({ description: 'Attempts in all, first included, up to queue.maxAttempts (queue.attempts when absent); retries back off exponentially', example: 3, minimum: 1 })
  attempts?: number;

  @ApiPropertyOptional({ description: 'Per-attempt timeout in ms, up to queue.maxJobTimeoutMs (queue.jobTimeoutMs when absent)', example: 60000, minimum: 1 })
  timeoutMs?: number;
}

export class JobErrorDto {
  @ApiProperty({ example: 'INVALID_INPUT' }) code!: string;
  @ApiProperty({ example: "instances[0]: input 'features' takes instances of shape [4] (FP32), got [3]" }) message!: string;
}

/** GET /v1/jobs/{id}, and the 202 answer of a submission. */
export class JobDto {
  @ApiProperty({ description: '<model>~<token>; also in the Location header of the 202', example: 'iris~0b0f6a52-5c4f-4ad5-a7a5-1f5a8e6f2c11' })
  id!: string;

  @ApiProperty({ example: 'iris' }) model!: string;

  @ApiPropertyOptional({ description: 'The version asked for; absent: the newest available when the job runs', example: 1 })
  version?: number;

  @ApiProperty({ enum: JOB_STATES, example: 'completed' }) state!: string;
  @ApiProperty({ example: 5 }) priority!: number;
  @ApiProperty({ description: 'Attempts started so far, the running one included', example: 1 }) attempts!: number;
  @ApiProperty({ example: 3 }) maxAttempts!: number;
  @ApiProperty({ example: '2025-01-01T12:00:00.000Z' }) createdAt!: string;
  @ApiPropertyOptional({ example: '2025-01-01T12:00:00.004Z' }) startedAt?: string;
  @ApiPropertyOptional({ example: '2025-01-01T12:00:00.007Z' }) finishedAt?: string;

  @ApiPropertyOptional({ description: 'Until when the result (or error) can be read (queue.removeOnCompleteSeconds / removeOnFailSeconds)', example: '2025-01-01T13:00:00.007Z' })
  expiresAt?: string;

  @ApiPropertyOptional({
    description: 'Completed: the version that served it and what :predict answers',
    example: { model: 'iris', version: 1, predictions: [{ label: 'setosa', score: 0.997, probabilities: { setosa: 0.997, versicolor: 0.003, virginica: 0 } }] },
  })
  result?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Failed (or, while queued for a retry, the last attempt\'s failure)', type: JobErrorDto })
  error?: JobErrorDto;
}
