import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '@app/access';
import { PredictionCache } from '@app/caching';

/** Clearing a model's prediction cache (admin), on every instance at once. */
@ApiTags('Prediction cache (admin)')
@ApiSecurity('bearer')
@Controller('v1/models')
export class CacheController {
  constructor(private readonly cache: PredictionCache) {}

  @Delete(':name/cache')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({
    summary: "Clear a model's prediction cache",
    description:
      'Drops every cached answer of the model (all versions): this instance\'s memory tier and the model\'s Redis keys now, the other instances\' memory tiers through a control message. `cleared` counts the entries removed here.',
  })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiOkResponse({ schema: { example: { cleared: 42 } } })
  async clear(@Param('name') name: string): Promise<{ cleared: number }> {
    return { cleared: await this.cache.clear(name) };
  }
}
