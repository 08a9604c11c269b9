import { OpenApiDocument, resolve, sample, Schema } from './swagger-ui-sample';

export type { OpenApiDocument };

/**
 * The requests Swagger UI's "Try it out" builds from an OpenAPI document with nothing typed in: parameters
 * filled from their examples, the body from the selected example or, without one, the sample Swagger UI
 * generates from the schema (swagger-ui-sample.ts).
 */

export interface TryItOut {
  /** `POST /v1/models/{name}:predict` and, when the body has several examples or forms, which one. */
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
  /** The 2xx statuses the operation documents. */
  success: number[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** One request for every JSON request-body example (or generated body) of every operation that has a body. */
export function bodyExamples(document: OpenApiDocument): TryItOut[] {
  const requests: TryItOut[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      const media = operation?.requestBody?.content?.['application/json'];
      if (!media) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p: Schema) => resolve(document, p));
      const base = `${method.toUpperCase()} ${template}`;
      const success = Object.keys(operation.responses ?? {}).filter((s) => /^2\d\d$/.test(s)).map(Number);
      for (const { label, body, pathParameters } of bodiesOf(document, media)) {
        const filled = parameters.map((p) => (p.in === 'path' && pathParameters?.[p.name] !== undefined ? { ...p, examples: undefined, example: pathParameters[p.name] } : p));
        requests.push({ name: label ? `${base} (${label})` : base, method: method.toUpperCase(), ...withParameters(template, filled), body, success });
      }
    }
  }
  return requests;
}

export interface ProbeTarget {
  method: string;
  /** The path as the document spells it. */
  template: string;
  path: string;
  headers: Record<string, string>;
  /** Fastify reads a body on this method (and can answer 413 and 415 for it). */
  hasBody: boolean;
}

/**
 * Every operation of the document, its path filled from the parameters' examples; a parameter without one
 * gets `iris`, which is enough for answers given before a handler runs (the key guard, the body limit).
 */
export function probeTargets(document: OpenApiDocument): ProbeTarget[] {
  const targets: ProbeTarget[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p: Schema) => resolve(document, p));
      const filled = parameters.map((p) => (p.in === 'path' && initialValue(p) === undefined ? { ...p, example: 'iris' } : p));
      targets.push({ method: method.toUpperCase(), template, ...withParameters(template, filled), hasBody: ['post', 'put', 'patch'].includes(method) });
    }
  }
  return targets;
}

interface Body {
  label: string;
  body: unknown;
  /** An example for another model than the parameters' examples name says so in `x-path-parameters`. */
  pathParameters?: Record<string, string>;
}

/**
 * The bodies of a JSON media type: each of its `examples`, else its `example`, else the sample of its
 * schema. Swagger UI fills in the first oneOf form; the other forms a reader would pick are sampled too.
 */
function bodiesOf(document: OpenApiDocument, media: Schema): Body[] {
  if (media.examples) {
    return Object.entries<Schema>(media.examples).map(([label, example]) => {
      const resolved = resolve(document, example);
      return { label, body: resolved.value, pathParameters: resolved['x-path-parameters'] };
    });
  }
  if (media.example !== undefined) return [{ label: '', body: media.example }];
  const schema = resolve(document, media.schema ?? {});
  if (schema.example === undefined && Array.isArray(schema.oneOf) && schema.oneOf.length > 1) {
    return schema.oneOf.map((form: Schema, i: number) => ({ label: resolve(document, form).title ?? `form ${i + 1}`, body: sample(document, { ...schema, oneOf: [form] }) }));
  }
  return [{ label: '', body: sample(document, schema) }];
}

/** Path, query and header parameters from their initial values, as Swagger UI's parameter rows set them. */
function withParameters(template: string, parameters: Schema[]): { path: string; headers: Record<string, string> } {
  let path = template;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const parameter of parameters) {
    const value = initialValue(parameter);
    if (value === undefined) {
      if (parameter.required) throw new Error(`${template}: parameter '${parameter.name}' has no example, so Swagger UI cannot fill it in`);
      continue;
    }
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (parameter.in === 'path') path = path.replace(`{${parameter.name}}`, encodeURIComponent(text));
    if (parameter.in === 'query') query.append(parameter.name, text);
    if (parameter.in === 'header') headers[parameter.name] = text;
  }
  const search = query.toString();
  return { path: search ? `${path}?${search}` : path, headers };
}

function initialValue(parameter: Schema): unknown {
  const firstExample = parameter.examples ? Object.values(parameter.examples as Record<string, Schema>)[0]?.value : undefined;
  return firstExample ?? parameter.example ?? parameter.schema?.example ?? parameter.schema?.default ?? parameter.default;
}
