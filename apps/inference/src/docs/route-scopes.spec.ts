import { Controller, Get, Post } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { RequireScope } from '@app/access';
import { routeScopes } from './route-scopes';

@Controller('v1/models')
class ModelsController {
  @Post(':name(^[A-Za-z0-9_.-]+)::classify')
  @RequireScope('predict')
  classify() {}

  @Get(':name/versions/:version')
  @RequireScope('predict')
  status() {}

  @Get()
  open() {}
}

@Controller('v2/repository')
@RequireScope('admin')
class RepositoryController {
  @Post('models/:name/load')
  load() {}
}

describe('routeScopes', () => {
  it("keys every scoped route by its method and its path as @nestjs/swagger writes it, the controller's scope included", async () => {
    const module = await Test.createTestingModule({ controllers: [ModelsController, RepositoryController] }).compile();
    const app = module.createNestApplication(new FastifyAdapter());
    try {
      expect(Object.fromEntries(routeScopes(app))).toEqual({
        'POST /v1/models/{name}:classify': 'predict',
        'GET /v1/models/{name}/versions/{version}': 'predict',
        'POST /v2/repository/models/{name}/load': 'admin',
      });
    } finally {
      await app.close();
    }
  });
});
