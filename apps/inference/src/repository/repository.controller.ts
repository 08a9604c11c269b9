import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RequireScope } from '@app/access';
import { InvalidInputError } from '@app/errors';
import { checkModelName, ModelRegistry } from '@app/models';
import { repositoryIndex, RepositoryIndexEntry } from '@app/protocols';

/**
 * KServe V2's model repository extension. Admin only, and a name is a folder of the configured repository,
 * never a path or URL (TorchServe's ShellTorch lesson): names are checked against the name pattern and the
 * folder must resolve inside the repository.
 */
@ApiTags('KServe V2 repository (admin)')
@ApiSecurity('bearer')
@Controller('v2/repository')
export class RepositoryController {
  constructor(private readonly registry: ModelRegistry) {}

  @Post('index')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({ summary: 'Every model version of the repository and its state' })
  @ApiBody({ required: false, schema: { example: { ready: true } } })
  @ApiOkResponse({ schema: { example: [{ name: 'iris', version: '1', state: 'READY', reason: '' }] } })
  async index(@Body() body: unknown): Promise<RepositoryIndexEntry[]> {
    const readyOnly = readyFilter(body);
    await this.registry.syncAll();
    return repositoryIndex(this.registry, readyOnly);
  }

  @Post('models/:name/load')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({ summary: 'Load (or reload) a model of the repository' })
  async load(@Param('name') name: string, @Req() request: FastifyRequest): Promise<Record<string, never>> {
    checkModelName(name);
    await this.registry.load(name, { requestId: request.id });
    return {};
  }

  @Post('models/:name/unload')
  @HttpCode(200)
  @RequireScope('admin')
  @ApiOperation({ summary: 'Unload a model; it stays unloaded until loaded again' })
  async unload(@Param('name') name: string, @Req() request: FastifyRequest): Promise<Record<string, never>> {
    checkModelName(name);
    await this.registry.unload(name, { requestId: request.id });
    return {};
  }
}

function readyFilter(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body !== 'object' || Array.isArray(body)) throw new InvalidInputError('body must be a JSON object such as {"ready": true}');
  const ready = (body as { ready?: unknown }).ready;
  if (ready !== undefined && typeof ready !== 'boolean') throw new InvalidInputError('ready must be true or false', 'ready');
  return ready === true;
}
