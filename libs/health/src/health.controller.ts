import { Controller, Get, Inject, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { READINESS_CHECKS, ReadinessCheck } from './readiness-check';
import { ReadinessFailureFilter } from './readiness-failure.filter';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  /** Liveness: the process answers. Cheap on purpose: a failing dependency must not get us restarted. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness probe' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @UseFilters(ReadinessFailureFilter)
  @ApiOperation({ summary: 'Readiness probe: Redis, models, event loop (503 naming the failing part)' })
  @ApiServiceUnavailableResponse({ description: 'A part is down; the body names it' })
  ready() {
    return this.health.check(this.checks.map((c) => () => c.check()));
  }
}
