import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { RequireScope } from '@app/access';
import { parseVersion } from '@app/protocols';
import { ErrorResponseDto } from '../dto/error-response.dto';
import { V2_FALSE_STATUS } from './v2-health';
import { V2ModelMetadataDto, V2ModelReadyDto } from './v2.dto';
import { V2StatusService } from './v2-status.service';

/**
 * KServe V2 model metadata (predict scope, like TF Serving's metadata) and model ready (open, a health
 * route). Model names come from the path and are only looked up in the registry, never used as paths.
 */
@ApiTags('KServe V2')
@Controller('v2/models')
export class V2ModelsController {
  constructor(private readonly status: V2StatusService) {}

  @Get(':name')
  @RequireScope('predict')
  @ApiOperation({ summary: 'Model metadata of the newest available version' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiOkResponse({ type: V2ModelMetadataDto })
  @ApiResponse({ status: 404, description: 'Unknown model', type: ErrorResponseDto })
  @ApiResponse({ status: 503, description: 'No version of the model serves now', type: ErrorResponseDto })
  metadata(@Param('name') name: string): V2ModelMetadataDto {
    return this.status.modelMetadata(name);
  }

  @Get(':name/versions/:version')
  @RequireScope('predict')
  @ApiOperation({ summary: 'Model metadata of one version' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiParam({ name: 'version', example: '1' })
  @ApiOkResponse({ type: V2ModelMetadataDto })
  @ApiResponse({ status: 404, description: 'Unknown model or version', type: ErrorResponseDto })
  metadataVersion(@Param('name') name: string, @Param('version') version: string): V2ModelMetadataDto {
    return this.status.modelMetadata(name, parseVersion(version));
  }

  @Get(':name/ready')
  @ApiOperation({ summary: 'Model ready: 200 when a version serves, 400 (false) when none does' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiOkResponse({ type: V2ModelReadyDto })
  @ApiResponse({ status: V2_FALSE_STATUS, description: 'Known but not ready', type: V2ModelReadyDto })
  @ApiResponse({ status: 404, description: 'Unknown model', type: ErrorResponseDto })
  ready(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply): V2ModelReadyDto {
    return answerReady(name, this.status.modelReady(name), reply);
  }

  @Get(':name/versions/:version/ready')
  @ApiOperation({ summary: 'Model version ready: 200 when it serves, 400 (false) when not' })
  @ApiParam({ name: 'name', example: 'iris' })
  @ApiParam({ name: 'version', example: '1' })
  @ApiOkResponse({ type: V2ModelReadyDto })
  @ApiResponse({ status: V2_FALSE_STATUS, description: 'Known but not ready', type: V2ModelReadyDto })
  @ApiResponse({ status: 404, description: 'Unknown model or version', type: ErrorResponseDto })
  readyVersion(@Param('name') name: string, @Param('version') version: string, @Res({ passthrough: true }) reply: FastifyReply): V2ModelReadyDto {
    return answerReady(name, this.status.modelReady(name, parseVersion(version)), reply);
  }
}

function answerReady(name: string, ready: boolean, reply: FastifyReply): V2ModelReadyDto {
  if (!ready) void reply.status(V2_FALSE_STATUS);
  return { name, ready };
}
