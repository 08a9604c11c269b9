import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { V2_FALSE_STATUS } from './v2-health';
import { V2ServerLiveDto, V2ServerMetadataDto, V2ServerReadyDto } from './v2.dto';
import { V2StatusService } from './v2-status.service';

/** KServe V2 server metadata and server health. Open, like the other probes. */
@ApiTags('KServe V2')
@Controller('v2')
export class V2ServerController {
  constructor(private readonly status: V2StatusService) {}

  @Get()
  @ApiOperation({ summary: 'Server metadata: name, version, supported extensions' })
  @ApiOkResponse({ type: V2ServerMetadataDto })
  metadata(): V2ServerMetadataDto {
    return this.status.serverMetadata();
  }

  @Get('health/live')
  @ApiOperation({ summary: 'Server live: 200 while the process answers' })
  @ApiOkResponse({ type: V2ServerLiveDto })
  live(): V2ServerLiveDto {
    return { live: true };
  }

  @Get('health/ready')
  @ApiOperation({ summary: 'Server ready: 200 when Redis, the models and the event loop are fine; 400 (false) otherwise' })
  @ApiOkResponse({ type: V2ServerReadyDto })
  @ApiResponse({ status: V2_FALSE_STATUS, description: 'Not ready; "error" names the parts that are down', type: V2ServerReadyDto })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<V2ServerReadyDto> {
    const { ready, failing } = await this.status.serverReadiness();
    if (ready) return { ready };
    void reply.status(V2_FALSE_STATUS);
    return { ready, error: `not ready: ${failing.join('; ')}` };
  }
}
