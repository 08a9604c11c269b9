import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';

const FORMS = [
  { key: 'instances', title: 'Row format' },
  { key: 'inputs', title: 'Columnar format' },
] as const;

/**
 * TF Serving's row (`instances`) and columnar (`inputs`) forms exclude each other: a body with both is a
 * 400. A DTO can only declare them as two optional properties, and Swagger UI's default body fills in every
 * property, so "Try it out" sent both. Every schema that declares both becomes a oneOf of the two forms,
 * each with the properties they share (signature_name, top_k, a job's options): Swagger UI's default body
 * is then the first form, a valid request.
 */
export function splitPredictBodyForms(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  for (const [name, schema] of Object.entries(schemas)) {
    if ('$ref' in schema || !FORMS.every((f) => schema.properties?.[f.key])) continue;
    const { properties = {}, required = [], description } = schema;
    const shared = Object.fromEntries(Object.entries(properties).filter(([key]) => !FORMS.some((f) => f.key === key)));
    const sharedRequired = required.filter((key) => key in shared);
    const oneOf: SchemaObject[] = FORMS.map(({ key, title }) => ({
      type: 'object',
      title,
      properties: { [key]: properties[key], ...shared },
      required: [key, ...sharedRequired],
    }));
    schemas[name] = description === undefined ? { oneOf } : { description, oneOf };
  }
  return document;
}
