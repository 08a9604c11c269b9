import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiExcludeEndpoint, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '@app/access';
import { parseVersion, splitVerb, TfServingAdapter } from '@app/protocols';
import { CACHE_HEADER_DOC, withCacheHeader } from '../cache/cache-header';
import { ApiErrorResponses, BODY_TOO_LARGE, RATE_LIMITED, UNKNOWN_MODEL } from '../dto/api-error-responses';
import { PredictRequestDto, PredictResponseDto } from '../dto/predict-request.dto';
import { JobTarget } from '../jobs/job-target';
import { QueueRouting } from '../jobs/queue-routing.service';
import { VERB_ROUTE } from './verb-routes';

const ApiPredictErrors = () =>
  ApiErrorResponses(
    { status: 400, description: 'Body does not fit the model signature (the message names the field)' },
    UNKNOWN_MODEL,
    BODY_TOO_LARGE,
    RATE_LIMITED,
    { status: 503, description: 'Overloaded or model not ready (Retry-After)' },
    { status: 504, description: 'Deadline passed before the batch ran' },
  );

/**
 * TensorFlow Serving's REST :predict. Prefer: respond-async and `route: queue` models go through the queue.
 * The whole-segment routes also serve :classify and :regress for segments the spelled-out routes of
 * ClassifyRegressController do not match (see verb-routes.ts), so every URL gets the same answer.
 */
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
    const { head, verb } = splitVerb(target);
    return this.serve(verb, { model: head }, body, headers, reply);
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
    const { head, verb } = splitVerb(target);
    return this.serve(verb, { model: name, version: parseVersion(head) }, body, headers, reply);
  }

  @Post(VERB_ROUTE.label('predict'))
  @HttpCode(200)
  @RequireScope('predict')
  @ApiOperation({ summary: 'Predict with the version a label names (model.json versionLabels)', operationId: 'predictLabel' })
  @ApiParam({ name: 'name', description: 'Model name', example: 'iris' })
  @ApiParam({ name: 'label', description: 'A label of model.json versionLabels', example: 'stable' })
  @ApiBody({ type: PredictRequestDto })
  @ApiOkResponse({ type: PredictResponseDto, headers: CACHE_HEADER_DOC })
  @ApiPredictErrors()
  async predictLabel(
    @Param('name') name: string,
    @Param('label') label: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.serve('predict', { model: name, label }, body, headers, reply);
  }

  /** `/labels/{label}:<verb>` for a label outside the spelled-out routes' pattern (answers 404 unknown label then). */
  @Post(':name/labels/:target')
  @HttpCode(200)
  @RequireScope('predict')
  @ApiExcludeEndpoint()
  async labelTarget(
    @Param('name') name: string,
    @Param('target') target: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { head, verb } = splitVerb(target);
    return this.serve(verb, { model: name, label: head }, body, headers, reply);
  }

  private async serve(
    verb: 'predict' | 'classify' | 'regress',
    target: { model: string; version?: number; label?: string },
    body: unknown,
    headers: Record<string, string | undefined>,
    reply: FastifyReply,
  ) {
    if (verb !== 'predict') return withCacheHeader(reply, await this.predictor[verb](target, body));
    // A label is resolved here, so a queued job runs the version it named when it was asked.
    const version = target.label === undefined ? target.version : this.predictor.labelledVersion(target.model, target.label);
    return this.answer({ model: target.model, version }, body, headers, reply);
  }

  private async answer(target: JobTarget, body: unknown, headers: Record<string, string | undefined>, reply: FastifyReply) {
    const queued = this.queueRouting.route(target, body, headers, reply);
    if (queued) return (await queued)?.body;
    return withCacheHeader(reply, await this.predictor.predict(target.model, target.version, body));
  }
}
