/**
 * Routes that spell their colon verb out, so that each method gets its own OpenAPI operation
 * (`/v1/models/{name}:classify`, ...). find-my-way reads `::` after a parameter with a pattern as a literal
 * colon, and @nestjs/swagger writes these paths as clients call them. A segment outside the patterns (a name
 * that is not a model name) falls to the whole-segment routes, which split the verb themselves
 * (predict-target.ts) and serve every method too.
 */
export const VERB_ROUTE = {
  latest: (verb: string) => `:name(^[A-Za-z0-9_.-]+)::${verb}`,
  version: (verb: string) => `:name/versions/:version(^[0-9]+)::${verb}`,
  label: (verb: string) => `:name/labels/:label(^[a-z0-9_-]+)::${verb}`,
};
