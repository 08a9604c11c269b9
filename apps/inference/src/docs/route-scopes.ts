import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { RequiredScope, RequireScope } from '@app/access';

/** `RequireScope` is SetMetadata: its decorator carries the metadata key the guard reads. */
const SCOPE_METADATA = RequireScope('predict').KEY;

/** The scope of each route, by `METHOD /openapi/{path}` as the OpenAPI document spells it (before the verb rewrite). */
export type RouteScopes = ReadonlyMap<string, RequiredScope>;

export const routeKey = (method: string, openApiPath: string): string => `${method.toUpperCase()} ${openApiPath}`;

/**
 * Reads the scope of every route from the controllers themselves (what ApiKeyGuard reads on each request),
 * so the document's 401/403/429 rows follow @RequireScope instead of being repeated on every handler.
 */
export function routeScopes(app: INestApplication): RouteScopes {
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const scopes = new Map<string, RequiredScope>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (typeof metatype !== 'function') continue;
      const prefixes = asList(Reflect.getMetadata(PATH_METADATA, metatype));
      for (const name of scanner.getAllMethodNames(metatype.prototype)) {
        const handler: unknown = metatype.prototype[name];
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const scope = reflector.getAllAndOverride<RequiredScope | undefined>(SCOPE_METADATA, [handler, metatype]);
        if (method === undefined || scope === undefined) continue;
        for (const prefix of prefixes) {
          for (const path of asList(Reflect.getMetadata(PATH_METADATA, handler))) {
            scopes.set(routeKey(RequestMethod[method], openApiPath(prefix, path)), scope);
          }
        }
      }
    }
  }
  return scopes;
}

/**
 * `v1/models` + `:name/jobs` -> `/v1/models/{name}/jobs`, as @nestjs/swagger writes paths: a param's
 * find-my-way pattern (`:name(^[a-z]+)`) left out, `::` a literal colon (`:name::classify` -> `{name}:classify`).
 */
function openApiPath(prefix: string, path: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
  return joined
    .replace(/\(\^[^)]+\)/g, '')
    .split('::')
    .map((part) => part.replace(/:([A-Za-z0-9_]+)/g, '{$1}'))
    .join(':');
}

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [value === undefined ? '' : String(value)]);
