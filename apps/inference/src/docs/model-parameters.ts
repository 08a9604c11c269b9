import type { OpenAPIObject, ParameterObject } from '@nestjs/swagger';

/** Paths whose `{name}` (and `{version}`) are a model of the repository. */
const MODEL_PATH = /^\/(v1\/models|v2\/models|v2\/repository\/models)\/\{name\}/;
const EXAMPLES: Record<string, string> = { name: 'iris', version: '1' };

/**
 * Swagger UI fills a parameter in from its example and leaves it empty otherwise, so "Try it out" on a model
 * route whose handler did not repeat @ApiParam asked the reader to type the model. A model's `name` and
 * `version` path parameters without an example get the default repository's iris, version 1.
 */
export function exampleModelParameters(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!MODEL_PATH.test(path)) continue;
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch]) {
      for (const parameter of (operation?.parameters ?? []) as ParameterObject[]) {
        if (parameter.in === 'path' && EXAMPLES[parameter.name] && parameter.example === undefined && !parameter.examples) {
          parameter.example = EXAMPLES[parameter.name];
        }
      }
    }
  }
  return document;
}
