import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '@app/access';
import { JobView } from '@app/queue';
import { ApiErrorResponses, RATE_LIMITED, UNKNOWN_MODEL } from '../dto/api-error-responses';
import { acceptedReply } from './accepted-reply';
import { JobDto, JobRequestDto } from './job.dto';
import { checkIdempotencyKey, parseJobTarget } from './job-target';
import { JobsService } from './jobs.service';

const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'The same key (for the same model) within the retention window answers the same job',
};
const ACCEPTED = {
  type: JobDto,
  description: 'Queued; Location: /v1/jobs/{id}',
  headers: { Location: { description: '/v1/jobs/{id}', schema: { type: 'string' } } },
};

const ApiSubmitErrors = () =>
  ApiErrorResponses(
    { status: 400, description: 'Body does not fit the model signature, or a job option is out of its limits (the message names the field)' },
    UNKNOWN_MODEL,
    { status: 409, description: 'Idempotency-Key already used for a different request' },
    RATE_LIMITED,
    { status: 503, description: 'The model queue holds queue.maxWaiting jobs, or Redis is unavailable (Retry-After)' },
  );

/** Asynchronous prediction jobs: submit (202 + Location), read, cancel. */
@ApiTags('Jobs')
@Controller('v1')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Post('models/:name/jobs')
  @HttpCode(202)
  @RequireScope('predict')
  @ApiOperation({ summary: 'Queue a prediction with the latest version (or name@version)', operationId: 'submitJob' })
  @ApiParam({ name: 'name', description: '`name` (newest version when the job runs) or `name@version`', example: 'iris' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiBody({ type: JobRequestDto })
  @ApiAcceptedResponse(ACCEPTED)
  @ApiSubmitErrors()
  async submit(
    @Param('name') name: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobView> {
    return acceptedReply(reply, await this.jobs.submit(parseJobTarget(name), body, checkIdempotencyKey(key)));
  }

  @Post('models/:name/versions/:version/jobs')
  @HttpCode(202)
  @RequireScope('predict')
  @ApiOperation({ summary: 'Queue a prediction with a given version', operationId: 'submitJobVersion' })
  @ApiParam({ name: 'version', example: '1' })
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiBody({ type: JobRequestDto })
  @ApiAcceptedResponse(ACCEPTED)
  @ApiSubmitErrors()
  async submitVersion(
    @Param('name') name: string,
    @Param('version') version: string,
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<JobView> {
    return acceptedReply(reply, await this.jobs.submit(parseJobTarget(name, version), body, checkIdempotencyKey(key)));
  }

  @Get('jobs/:id')
  @RequireScope('predict')
  @ApiOperation({ summary: 'State of a job: queued, active, completed (with its result), failed (with its error) or cancelled' })
  @ApiParam({ name: 'id', example: 'iris~0b0f6a52-5c4f-4ad5-a7a5-1f5a8e6f2c11' })
  @ApiOkResponse({ type: JobDto })
  @ApiErrorResponses({ status: 404, description: 'Unknown job, or its result has expired' })
  get(@Param('id') id: string): Promise<JobView> {
    return this.jobs.get(id);
  }

  @Delete('jobs/:id')
  @HttpCode(200)
  @RequireScope('predict')
  @ApiOperation({ summary: 'Cancel a job that has not started' })
  @ApiOkResponse({ type: JobDto, description: 'Cancelled (GET answers "cancelled" from now on)' })
  @ApiErrorResponses({ status: 404, description: 'Unknown job' }, { status: 409, description: 'The job has started or finished' })
  cancel(@Param('id') id: string): Promise<JobView> {
    return this.jobs.cancel(id);
  }
}
