import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { documentAnswers } from './documented-answers';
import { exampleModelParameters } from './model-parameters';
import { splitPredictBodyForms } from './predict-body-forms';
import { routeScopes } from './route-scopes';

/**
 * The routes with a colon verb are declared with a whole-segment parameter (see predict-target.ts); the
 * document shows them as clients call them, so Swagger UI's "Try it out" sends `/v1/models/iris:predict`.
 */
const VERB_ROUTES: Record<string, { path: string; param: string }> = {
  '/v1/models/{target}': { path: '/v1/models/{name}:predict', param: 'name' },
  '/v1/models/{name}/versions/{target}': { path: '/v1/models/{name}/versions/{version}:predict', param: 'version' },
};

export function rewriteVerbRoutes(document: OpenAPIObject): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    const rewrite = VERB_ROUTES[path];
    if (!rewrite || !item.post) {
      paths[path] = item;
      continue;
    }
    const { post, ...others } = item;
    if (Object.keys(others).length > 0) paths[path] = others;
    const parameters = (post.parameters ?? []).map((p) =>
      'name' in p && p.name === 'target'
        ? { ...p, name: rewrite.param, description: rewrite.param === 'name' ? 'Model name' : 'Version number', example: rewrite.param === 'name' ? 'iris' : '1' }
        : p,
    );
    paths[rewrite.path] = { post: { ...post, parameters } };
  }
  return { ...document, paths };
}

export function setupSwagger(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('modelgate')
    .setDescription(
      'A model server for ONNX models. TensorFlow Serving REST and KServe V2 (Open Inference Protocol) routes, ' +
        'asynchronous jobs, health probes and metrics. Errors are `{"error": "...", "code": "..."}`.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (auth.apiKeys)' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'X-API-Key')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('X-API-Key')
    .build();
  const described = documentAnswers(splitPredictBodyForms(SwaggerModule.createDocument(app, config)), routeScopes(app));
  const document = exampleModelParameters(rewriteVerbRoutes(described));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
