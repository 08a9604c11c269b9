import { CacheInterceptor, CacheTTL } from '@nestjs/cache-manager';
import { Controller, Get, Param, UseInterceptors } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '@app/access';
import { DriftReports } from '@app/drift';
import { ModelNotFoundError } from '@app/errors';
import { checkModelName, ModelRepository } from '@app/models';

const DRIFT_CACHE_MS = 5000;

/** The last drift reports of a model (written by the scheduler's drift-report job). */
@ApiTags('Models')
@Controller('v1/models')
export class DriftController {
  constructor(
    private readonly drift: DriftReports,
    private readonly repository: ModelRepository,
  ) {}

  @Get(':name/drift')
  @RequireScope('predict')
  // Reports change once per drift-report run (every 15 minutes by default) while dashboards poll this:
  // a few seconds of HTTP cache spares Redis the repeated reads. The guard runs before the cache.
  @UseInterceptors(CacheInterceptor)
  @CacheTTL(DRIFT_CACHE_MS)
  @ApiOperation({ summary: 'Recent drift reports: predicted classes of live traffic against the training distribution' })
  @ApiOkResponse({
    schema: {
      example: {
        model: 'spam',
        reports: [{ at: '2026-11-25T12:00:00.000Z', verdict: 'stable', samples: 1000, psi: 0.0012, chiSquare: 0.3, pValue: 0.58, observed: { ham: 0.69, spam: 0.31 }, expected: { ham: 0.6955, spam: 0.3045 } }],
      },
    },
  })
  async reports(@Param('name') name: string) {
    checkModelName(name);
    if (!(await this.repository.exists(name))) throw new ModelNotFoundError(name);
    return { model: name, reports: await this.drift.recent(name) };
  }
}
