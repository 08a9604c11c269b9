import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '@app/access';
import { InvalidInputError } from '@app/errors';
import { parseVersion, splitV2BinaryBody, V2Adapter, V2InferResponse } from '@app/protocols';
import { CACHE_HEADER_DOC, withCacheHeader } from '../cache/cache-header';
import { ApiErrorResponses, BODY_TOO_LARGE, RATE_LIMITED, UNKNOWN_MODEL } from '../dto/api-error-responses';
import { V2InferRequestDto, V2InferResponseDto } from './v2.dto';

const ERRORS = ApiErrorResponses(
  { status: 400, description: 'Request does not fit the model signature, or an unknown output (the message names the field)' },
  UNKNOWN_MODEL,
  BODY_TOO_LARGE,
  RATE_LIMITED,
  { status: 503, description: 'Overloaded, or the model is not ready (unloaded, loading): Retry-After' },
  { status: 504, description: 'Deadline (parameters.timeout or server.requestTimeoutMs) passed before the batch ran' },
);

const BODY_EXAMPLES = {
  iris: {
    summary: 'iris: flat data, two rows',
    value: { id: '42', inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', data: [5.1, 3.5, 1.4, 0.2, 6.7, 3.0, 5.2, 2.3] }] },
  },
  irisNested: {
    summary: 'iris: nested data, only the label',
    value: { inputs: [{ name: 'features', shape: [2, 4], datatype: 'FP32', data: [[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3]] }], outputs: [{ name: 'label' }] },
  },
  nameGender: {
    summary: 'name-gender: BYTES input (use model name-gender)',
    'x-path-parameters': { name: 'name-gender' },
    value: { inputs: [{ name: 'name', shape: [2], datatype: 'BYTES', data: ['Maria', 'John'] }] },
  },
  spam: {
    summary: 'spam: BYTES input (use model spam)',
    'x-path-parameters': { name: 'spam' },
    value: { inputs: [{ name: 'text', shape: [1], datatype: 'BYTES', data: ['WIN a FREE iPhone now!!! Click here'] }] },
  },
};

function ApiInferDocs(): MethodDecorator {
  return (target, key, descriptor) => {
    ApiBody({ type: V2InferRequestDto, examples: BODY_EXAMPLES })(target, key, descriptor);
    ApiOkResponse({ type: V2InferResponseDto, headers: CACHE_HEADER_DOC })(target, key, descriptor);
    ApiHeader({
      name: 'Inference-Header-Content-Length',
      required: false,
      description: 'Binary tensor data extension: JSON length of an application/octet-stream body',
    })(target, key, descriptor);
    ERRORS(target, key, descriptor);
  };
}

/** KServe V2 (Open Inference Protocol) inference. */
@ApiTags('KServe V2')
@Controller('v2/models')
export class V2InferController {
  constructor(private readonly predictor: V2Adapter) {}

  @Post(':name/infer')
  @HttpCode(200)
  @RequireScope('predict')
  @ApiOperation({ summary: 'Inference with the newest available version', operationId: 'v2Infer' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiInferDocs()
  infer(
    @Param('name') name: string,
    @Body() body: unknown,
    @Headers('inference-header-content-length') headerLength: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<V2InferResponse | Buffer> {
    return this.run(name, undefined, body, headerLength, reply);
  }

  @Post(':name/versions/:version/infer')
  @HttpCode(200)
  @RequireScope('predict')
  @ApiOperation({ summary: 'Inference with one version', operationId: 'v2InferVersion' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiParam({ name: 'version', example: '1' })
  @ApiInferDocs()
  inferVersion(
    @Param('name') name: string,
    @Param('version') version: string,
    @Body() body: unknown,
    @Headers('inference-header-content-length') headerLength: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<V2InferResponse | Buffer> {
    return this.run(name, parseVersion(version), body, headerLength, reply);
  }

  private async run(
    name: string,
    version: number | undefined,
    body: unknown,
    headerLength: string | undefined,
    reply: FastifyReply,
  ): Promise<V2InferResponse | Buffer> {
    const answer = Buffer.isBuffer(body)
      ? await this.predictor.infer(name, version, ...binaryParts(body, headerLength))
      : await this.predictor.infer(name, version, body);
    const json = withCacheHeader(reply, answer);
    if (answer.binary.length === 0) return json;
    // Binary tensor data extension: the JSON response, then the outputs' bytes; the header says where the JSON ends.
    const head = Buffer.from(JSON.stringify(json), 'utf8');
    void reply.header('content-type', 'application/octet-stream').header('inference-header-content-length', String(head.length));
    return Buffer.concat([head, ...answer.binary]);
  }
}

/** A body of the binary tensor data extension (see request-body.parser.ts): the JSON request, then the bytes. */
function binaryParts(body: Buffer, headerLength: string | undefined): [unknown, Buffer] {
  if (headerLength === undefined || !/^\d{1,15}$/.test(headerLength)) {
    throw new InvalidInputError('a binary body needs Inference-Header-Content-Length: the byte length of its JSON request', 'Inference-Header-Content-Length');
  }
  const { header, binary } = splitV2BinaryBody(body, Number(headerLength));
  return [header, binary];
}
