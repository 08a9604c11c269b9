import { applyDecorators, Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '@app/access';
import { parseVersion, TfServingAdapter } from '@app/protocols';
import { CACHE_HEADER_DOC, withCacheHeader } from '../cache/cache-header';
import { ApiErrorResponses, BODY_TOO_LARGE, RATE_LIMITED } from '../dto/api-error-responses';
import { CLASSIFY_EXAMPLES, ClassifyResponseDto, ExamplesRequestDto, REGRESS_EXAMPLES, RegressResponseDto } from './classify-regress.dto';
import { VERB_ROUTE } from './verb-routes';

type Shape = keyof typeof VERB_ROUTE;

const PARAMS: Record<Shape, MethodDecorator[]> = {
  latest: [ApiParam({ name: 'name', description: 'Model name', example: 'iris' })],
  version: [ApiParam({ name: 'name', description: 'Model name', example: 'iris' }), ApiParam({ name: 'version', description: 'Version number', example: '1' })],
  label: [ApiParam({ name: 'name', description: 'Model name', example: 'iris' }), ApiParam({ name: 'label', description: 'A label of model.json versionLabels', example: 'stable' })],
};

const WHICH: Record<Shape, string> = { latest: 'the latest available version', version: 'a given version', label: 'the version a label names' };

/** Route, docs and error rows of one TF Serving examples method on one URL shape. */
function ExamplesRoute(verb: 'classify' | 'regress', shape: Shape): MethodDecorator {
  const classify = verb === 'classify';
  return applyDecorators(
    Post(VERB_ROUTE[shape](verb)),
    HttpCode(200),
    RequireScope('predict'),
    ApiOperation({
      summary: classify ? `Classify examples with ${WHICH[shape]} (TF Serving Classify API)` : `Regress examples with ${WHICH[shape]} (TF Serving Regress API)`,
      description: classify
        ? 'For models whose model.json declares a classification with labels: every class of each example as [label, score], highest first.'
        : 'For models with one numeric output of one value per example (shape [-1] or [-1, 1]). No default model is one; the example is the body for a model whose input is x [-1, 1].',
      operationId: `${verb}${shape === 'latest' ? '' : shape === 'version' ? 'Version' : 'Label'}`,
    }),
    ...PARAMS[shape],
    ApiBody({ type: ExamplesRequestDto, examples: classify ? CLASSIFY_EXAMPLES : REGRESS_EXAMPLES }),
    ApiOkResponse({ type: classify ? ClassifyResponseDto : RegressResponseDto, headers: CACHE_HEADER_DOC }),
    ApiErrorResponses(
      {
        status: 400,
        description: classify
          ? 'Body does not fit the model (the message names the field), or the model is not a classification model'
          : 'Body does not fit the model (the message names the field), or the model does not give one value per example',
      },
      { status: 404, description: shape === 'label' ? 'Unknown model, or a label its model.json does not declare' : 'Unknown model or version' },
      BODY_TOO_LARGE,
      RATE_LIMITED,
      { status: 503, description: shape === 'label' ? 'The version the label names is not available, or overloaded (Retry-After)' : 'Overloaded or model not ready (Retry-After)' },
      { status: 504, description: 'Deadline passed before the batch ran' },
    ),
  );
}

/**
 * TensorFlow Serving's Classify and Regress APIs, one route per method and URL shape so that each has its own
 * OpenAPI operation. They run inline: the job queue carries :predict bodies only.
 */
@ApiTags('TensorFlow Serving')
@Controller('v1/models')
export class ClassifyRegressController {
  constructor(private readonly tfserving: TfServingAdapter) {}

  @ExamplesRoute('classify', 'latest')
  async classify(@Param('name') name: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return withCacheHeader(reply, await this.tfserving.classify({ model: name }, body));
  }

  @ExamplesRoute('classify', 'version')
  async classifyVersion(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return withCacheHeader(reply, await this.tfserving.classify({ model: name, version: parseVersion(version) }, body));
  }

  @ExamplesRoute('classify', 'label')
  async classifyLabel(@Param('name') name: string, @Param('label') label: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return withCacheHeader(reply, await this.tfserving.classify({ model: name, label }, body));
  }

  @ExamplesRoute('regress', 'latest')
  async regress(@Param('name') name: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return withCacheHeader(reply, await this.tfserving.regress({ model: name }, body));
  }

  @ExamplesRoute('regress', 'version')
  async regressVersion(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return withCacheHeader(reply, await this.tfserving.regress({ model: name, version: parseVersion(version) }, body));
  }

  @ExamplesRoute('regress', 'label')
  async regressLabel(@Param('name') name: string, @Param('label') label: string, @Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return withCacheHeader(reply, await this.tfserving.regress({ model: name, label }, body));
  }
}
