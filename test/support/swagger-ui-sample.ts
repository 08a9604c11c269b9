/**
 * Swagger UI's default body for a schema, as swagger-ui 5's json-schema-5-samples (the generator it uses for
 * OpenAPI 3.0) makes it: an example or default wins, oneOf/anyOf take their first schema, an object gets
 * every property that is neither deprecated nor readOnly, an array one item, a string "string", numbers 0
 * (or their maximum, else minimum), booleans true.
 */

/** Schemas are walked as the untyped JSON they are. */
export type Schema = Record<string, any>;
export type OpenApiDocument = { paths: Record<string, Schema>; components?: { schemas?: Record<string, Schema> } };

/** The JSON sample of a request body's schema (writeOnly properties included, readOnly ones left out). */
export function sample(document: OpenApiDocument, input: Schema): unknown {
  let schema = mergeAllOf(document, resolve(document, input));
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined) return schema.default;
  const first = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (first) schema = mergeFirstForm(schema, mergeAllOf(document, resolve(document, first)));
  if (schema.example !== undefined) return schema.example;
  const type = schema.type ?? (schema.properties || schema.additionalProperties ? 'object' : schema.items ? 'array' : schema.enum ? undefined : 'string');
  if (type === 'object') {
    const result: Record<string, unknown> = {};
    for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) {
      const resolved = resolve(document, property);
      if (resolved.deprecated || resolved.readOnly) continue;
      result[name] = sample(document, resolved);
    }
    if (schema.additionalProperties === true) result.additionalProp1 = {};
    else if (schema.additionalProperties) for (const i of [1, 2, 3]) result[`additionalProp${i}`] = sample(document, schema.additionalProperties);
    return result;
  }
  if (type === 'array') {
    if (!schema.items) return undefined;
    const items = resolve(document, schema.items);
    const forms: Schema[] | undefined = items.oneOf ?? items.anyOf;
    return forms ? forms.map((form) => sample(document, mergeFirstForm({ ...items, oneOf: undefined, anyOf: undefined }, resolve(document, form)))) : [sample(document, items)];
  }
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (type === 'integer' || type === 'number') return schema.maximum ?? schema.minimum ?? 0;
  if (type === 'boolean') return true;
  return 'string';
}

/** Swagger UI's mergeJsonSchema: the form's keywords and properties fill what the schema leaves unset. */
function mergeFirstForm(schema: Schema, form: Schema): Schema {
  const merged: Schema = { ...schema, oneOf: undefined, anyOf: undefined };
  for (const key of ['example', 'default', 'enum', 'type', 'items', 'additionalProperties']) merged[key] ??= form[key];
  merged.properties = { ...(schema.properties ?? {}) };
  for (const [name, property] of Object.entries<Schema>(form.properties ?? {})) merged.properties[name] ??= property;
  return merged;
}

function mergeAllOf(document: OpenApiDocument, schema: Schema): Schema {
  if (!Array.isArray(schema.allOf)) return schema;
  return schema.allOf.reduce((merged: Schema, part: Schema) => {
    const resolved = mergeAllOf(document, resolve(document, part));
    return { ...resolved, ...merged, properties: { ...(resolved.properties ?? {}), ...(merged.properties ?? {}) } };
  }, { ...schema, allOf: undefined });
}

/** Follows `$ref`s into the document. */
export function resolve(document: OpenApiDocument, value: Schema): Schema {
  let current = value;
  for (let depth = 0; typeof current?.$ref === 'string' && depth < 16; depth++) {
    const target = current.$ref.replace(/^#\//, '').split('/').reduce((node: any, key: string) => node?.[key], document);
    if (!target) throw new Error(`unresolved $ref ${current.$ref}`);
    current = target;
  }
  return current;
}
