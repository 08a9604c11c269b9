import type { OpenAPIObject, OperationObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { BODY_TOO_LARGE, ErrorDoc, KEY_ERRORS, RATE_LIMITED, UNSUPPORTED_TYPE } from '../dto/api-error-responses';
import { routeKey, RouteScopes } from './route-scopes';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
/** Fastify reads a body on these methods, so they can answer 413 and 415 whether or not the route documents one. */
const BODY_METHODS = new Set(['post', 'put', 'patch']);
const ERROR_BODY = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } };
const RETRY_AFTER = { 'Retry-After': { description: 'Seconds until a retry can succeed', schema: { type: 'integer' } } };

/**
 * Lists the answers that the HTTP layer, the API-key guard and the queue give on top of what a handler
 * documents, from what is true of each route, so Swagger UI never shows them as "Undocumented":
 * - a route under a scope answers 401 (and 403 on admin routes) when keys are configured;
 * - a route of the predict scope answers 429 when auth.rateLimitPerSecond is set;
 * - a method with a body answers 413 past server.bodyLimitBytes and 415 for a type it does not read;
 * - an operation that takes `Prefer` answers 202 + Location for `Prefer: respond-async`;
 * - an operation that takes `Inference-Header-Content-Length` reads (and may answer) the binary tensor
 *   data extension, an application/octet-stream body.
 * Rows a handler documents itself are kept as they are. Runs before the verb routes are rewritten, while
 * the paths are still those of the Nest routes.
 */
export function documentAnswers(document: OpenAPIObject, scopes: RouteScopes): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const scope = scopes.get(routeKey(method, path));
      if (scope === 'predict' || scope === 'admin') addErrors(operation, KEY_ERRORS[scope]);
      if (scope === 'predict') addErrors(operation, [RATE_LIMITED], RETRY_AFTER);
      if (BODY_METHODS.has(method)) addErrors(operation, [BODY_TOO_LARGE, UNSUPPORTED_TYPE]);
      if (takesHeader(operation, 'prefer')) addAccepted(operation, document);
      if (takesHeader(operation, 'inference-header-content-length')) addBinaryTensors(operation);
    }
  }
  return document;
}

function addErrors(operation: OperationObject, errors: ErrorDoc[], headers?: ResponseObject['headers']): void {
  for (const { status, description } of errors) {
    operation.responses[status] ??= { description, content: ERROR_BODY, ...(headers ? { headers } : {}) };
  }
}

function addAccepted(operation: OperationObject, document: OpenAPIObject): void {
  const job = document.components?.schemas?.JobDto ? { 'application/json': { schema: { $ref: '#/components/schemas/JobDto' } } } : undefined;
  operation.responses[202] ??= {
    description: '`Prefer: respond-async`: queued as a job instead; Location: /v1/jobs/{id}',
    headers: { Location: { description: '/v1/jobs/{id}', schema: { type: 'string' } } },
    ...(job ? { content: job } : {}),
  };
}

const BINARY_BODY = {
  schema: {
    type: 'string',
    format: 'binary',
    description:
      'Binary tensor data extension: the JSON request (its byte length in Inference-Header-Content-Length), then the bytes of ' +
      'each input whose parameters.binary_data_size says how many, in the order of the inputs',
  },
};

/** The JSON form stays first: it is what Swagger UI selects and fills in by default. */
function addBinaryTensors(operation: OperationObject): void {
  const body = operation.requestBody;
  if (body && !isReference(body)) body.content['application/octet-stream'] ??= BINARY_BODY;
  const ok = operation.responses[200];
  if (ok && !isReference(ok)) {
    ok.content = { ...ok.content, 'application/octet-stream': { schema: { type: 'string', format: 'binary', description: 'Outputs asked with binary_data: the JSON answer, then their bytes' } } };
    ok.headers = { ...ok.headers, 'Inference-Header-Content-Length': { description: 'Byte length of the JSON part of an application/octet-stream answer', schema: { type: 'integer' } } };
  }
}

function takesHeader(operation: OperationObject, name: string): boolean {
  return (operation.parameters ?? []).some((p) => !isReference(p) && p.in === 'header' && p.name.toLowerCase() === name);
}

const isReference = (value: object): value is ReferenceObject => '$ref' in value;
