import { Module } from '@nestjs/common';
import { AccessModule } from '@app/access';
import { ProtocolsModule } from '@app/protocols';
import { JobQueueModule } from '@app/queue';
import { JobsController } from './jobs.controller';
import { JobsService } from './jobs.service';
import { QueueBoard } from './queue-board';
import { QueueRouting } from './queue-routing.service';

/**
 * Asynchronous jobs in the HTTP API: the jobs routes, :predict's queue routing (Prefer: respond-async,
 * route: queue) and the bull-board dashboard. Needs PlatformModule at the root.
 */
@Module({
  imports: [ProtocolsModule, JobQueueModule, AccessModule],
  controllers: [JobsController],
  providers: [JobsService, QueueRouting, QueueBoard],
  exports: [JobsService, QueueRouting, JobQueueModule],
})
export class JobsModule {}
