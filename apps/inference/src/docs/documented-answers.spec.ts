import type { OpenAPIObject } from '@nestjs/swagger';
import { documentAnswers } from './documented-answers';

const ok = () => ({ responses: { 200: { description: 'ok' } } });

function document(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    components: { schemas: { JobDto: { type: 'object' }, ErrorResponseDto: { type: 'object' } } },
    paths: {
      '/v1/models/{target}': {
        post: { ...ok(), parameters: [{ in: 'header', name: 'Prefer' }], requestBody: { content: { 'application/json': {} } } },
      },
      '/v2/models/{name}/infer': {
        post: { ...ok(), parameters: [{ in: 'header', name: 'Inference-Header-Content-Length' }], requestBody: { content: { 'application/json': {} } } },
      },
      '/v2/repository/models/{name}/load': { post: ok() },
      '/health/live': { get: ok() },
    },
  };
}

const SCOPES = new Map([
  ['POST /v1/models/{target}', 'predict' as const],
  ['POST /v2/models/{name}/infer', 'predict' as const],
  ['POST /v2/repository/models/{name}/load', 'admin' as const],
]);
const statuses = (doc: OpenAPIObject, path: string, method: 'get' | 'post') => Object.keys(doc.paths[path][method]!.responses);

describe('documentAnswers', () => {
  it('lists 401 and 429 on predict routes, 401 and 403 on admin routes, 413 and 415 on methods with a body, nothing on open GETs', () => {
    const doc = documentAnswers(document(), SCOPES);
    expect(statuses(doc, '/v1/models/{target}', 'post')).toEqual(['200', '202', '401', '413', '415', '429']);
    expect(statuses(doc, '/v2/repository/models/{name}/load', 'post')).toEqual(['200', '401', '403', '413', '415']);
    expect(statuses(doc, '/health/live', 'get')).toEqual(['200']);
    expect(doc.paths['/v1/models/{target}'].post!.responses[429]).toMatchObject({ headers: { 'Retry-After': expect.any(Object) } });
  });

  it('answers 202 with Location and the job where the operation takes Prefer (respond-async)', () => {
    const accepted = documentAnswers(document(), SCOPES).paths['/v1/models/{target}'].post!.responses[202];
    expect(accepted).toMatchObject({ headers: { Location: expect.any(Object) }, content: { 'application/json': { schema: { $ref: '#/components/schemas/JobDto' } } } });
  });

  it('adds the application/octet-stream body after JSON where the operation takes Inference-Header-Content-Length', () => {
    const infer = documentAnswers(document(), SCOPES).paths['/v2/models/{name}/infer'].post!;
    expect(Object.keys((infer.requestBody as { content: object }).content)).toEqual(['application/json', 'application/octet-stream']);
  });

  it('keeps the rows a handler documents itself', () => {
    const doc = document();
    doc.paths['/v1/models/{target}'].post!.responses[413] = { description: 'the handler says' };
    expect(documentAnswers(doc, SCOPES).paths['/v1/models/{target}'].post!.responses[413]).toEqual({ description: 'the handler says' });
  });
});
