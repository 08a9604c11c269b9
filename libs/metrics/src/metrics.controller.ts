import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '@app/access';
import { MetricsConfig } from '@app/config';
import { NotFoundError } from '@app/errors';
import { clusterMetricsText } from './cluster-metrics';
import { MetricsService } from './metrics.service';

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: MetricsConfig,
  ) {}

  @Get()
  @RequireScope('metrics')
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    if (!this.config.enabled) throw new NotFoundError('metrics are disabled (metrics.enabled)');
    // With server.workers > 1 any worker answers for all of them (summed by the primary).
    const body = await (clusterMetricsText() ?? this.metrics.registry.metrics());
    void reply.type(this.metrics.registry.contentType).send(body);
  }
}
