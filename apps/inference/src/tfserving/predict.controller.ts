import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '@app/access';
import { parseVersion, splitVerb, TfServingAdapter } from '@app/protocols';
import { CACHE_HEADER_DOC, withCacheHeader } from '../cache/cache-header';
import { ApiErrorResponses, BODY_TOO_LARGE, RATE_LIMITED, UNKNOWN_MODEL } from '../dto/api-error-responses';
import { PredictRequestDto, PredictResponseDto } from '../dto/predict-request.dto';
import { JobTarget } from '../jobs/job-target';
import { QueueRouting } from '../jobs/queue-routing.service';

const ApiPredictErrors = () =>
  ApiErrorResponses(
    { status: 400, description: 'Body does not fit the model signature (the message names the field)' },
    UNKNOWN_MODEL,
    BODY_TOO_LARGE,
    RATE_LIMITED,
    { status: 503, description: 'Overloaded or model not ready (Retry-After)' },
    { status: 504, description: 'Deadline passed before the batch ran' },
  );

/** TensorFlow Serving's REST :predict. Prefer: respond-async and `route: queue` models go through the queue. */
@ApiTags('TensorFlow Serving')
@Controller('v1/models')
@ApiHeader({ name: 'Prefer', required: false, description: '`respond-async`: queue the prediction as a job instead (202, Location: /v1/jobs/{id})' })
export class PredictController {
  constructor(
    private readonly predictor: TfServingAdapter,
    private readonly queueRouting: QueueRouting,
  ) {}

  @Post(':target')
  @HttpCode(200)
  @RequireScope('predict')
  @ApiOperation({ summary: 'Predict with the latest available version', operationId: 'predict' })
  @ApiParam({ name: 'target', description: '<model name>:predict', example: 'iris:predict' })
  @ApiBody({ type: PredictRequestDto })
  @ApiOkResponse({ type: PredictResponseDto, headers: CACHE_HEADER_DOC })
  @ApiPredictErrors()
  async predict(
    @Param('target') target: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer({ model: splitVerb(target).head }, body, headers, reply);
  }

  @Post(':name/versions/:target')
  @HttpCode(200)
  @RequireScope('predict')
  @ApiOperation({ summary: 'Predict with a given version', operationId: 'predictVersion' })
  @ApiParam({ name: 'target', description: '<version>:predict', example: '1:predict' })
  @ApiBody({ type: PredictRequestDto })
  @ApiOkResponse({ type: PredictResponseDto, headers: CACHE_HEADER_DOC })
  @ApiPredictErrors()
  async predictVersion(
    @Param('name') name: string,
    @Param('target') target: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.answer({ model: name, version: parseVersion(splitVerb(target).head) }, body, headers, reply);
  }

  private async answer(target: JobTarget, body: unknown, headers: Record<string, string | undefined>, reply: FastifyReply) {
    const routed = await this.queueRouting.route(target, body, headers, reply);
    if (routed) return routed.body;
    return withCacheHeader(reply, await this.predictor.predict(target.model, target.version, body));
  }
}
