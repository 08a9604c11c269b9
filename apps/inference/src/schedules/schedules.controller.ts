import { Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '@app/access';
import { SchedulesService } from './schedules.service';

@ApiTags('Scheduler (admin)')
@ApiSecurity('bearer')
@Controller('v1/schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  @Get()
  @RequireScope('admin')
  @ApiOperation({ summary: 'Every schedule with its next and last run' })
  @ApiOkResponse({
    schema: {
      example: {
        schedules: [
          { name: 'drift-report', job: 'drift-report', everyMs: 900000, enabled: true, options: {}, nextRun: '2026-11-25T12:15:00.000Z', lastRun: { jobId: 'repeat:...', at: '2026-11-25T12:00:00.012Z', status: 'completed', durationMs: 31, result: { reports: [] } } },
        ],
      },
    },
  })
  async list() {
    return { schedules: await this.schedules.list() };
  }

  @Post(':name/run')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({ summary: 'Run a schedule now; 200 with its result when it finishes within queue.syncTimeoutMs, else 202' })
  async run(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const run = await this.schedules.runNow(name);
    if (run.state !== 'completed' && run.state !== 'failed') void reply.status(202);
    return { schedule: name, ...run };
  }
}
