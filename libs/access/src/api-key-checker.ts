import { createHash } from 'crypto';
import { ApiScope } from '@app/config';
import { ForbiddenError, UnauthenticatedError } from '@app/errors';

export type RequiredScope = ApiScope | 'metrics';

/**
 * Decides whether a presented key may use a route. Keys are looked up by their SHA-256, so the lookup's
 * timing says nothing about how much of a guessed key was right.
 *
 * - admin routes always need a key with `admin` (closed when no admin key is configured);
 * - predict routes are open until some key has `predict`; an admin key may predict too;
 * - /metrics is open unless metrics.requireAdminKey, then it is an admin route.
 */
export class ApiKeyChecker {
  private readonly scopesByHash = new Map<string, Set<ApiScope>>();
  private readonly predictOpen: boolean;

  constructor(
    apiKeys: Record<string, ApiScope[]>,
    private readonly metricsNeedAdmin: boolean,
  ) {
    for (const [key, scopes] of Object.entries(apiKeys)) this.scopesByHash.set(hash(key), new Set(scopes));
    this.predictOpen = ![...this.scopesByHash.values()].some((s) => s.has('predict'));
  }

  check(required: RequiredScope | undefined, presented: string | undefined): void {
    if (required === undefined) return;
    if (required === 'metrics') {
      if (!this.metricsNeedAdmin) return;
      required = 'admin';
    }
    if (required === 'predict' && this.predictOpen) return;
    if (presented === undefined) {
      throw new UnauthenticatedError('an API key is required: send Authorization: Bearer <key> or X-API-Key');
    }
    const scopes = this.scopesByHash.get(hash(presented));
    if (!scopes) throw new UnauthenticatedError('unknown API key');
    if (scopes.has(required) || (required === 'predict' && scopes.has('admin'))) return;
    throw new ForbiddenError(`this API key lacks the '${required}' scope`);
  }

  /**
   * Who a request counts against for rate limiting: a configured key, else the address. An unknown key
   * (accepted where predict routes are open) does not count, or inventing keys would dodge the limit.
   */
  clientOf(presented: string | undefined, address: string | undefined): string {
    if (presented !== undefined) {
      const digest = hash(presented);
      if (this.scopesByHash.has(digest)) return `key:${digest}`;
    }
    return `ip:${address ?? 'unknown'}`;
  }
}

/** The key from `Authorization: Bearer <key>` or `X-API-Key`. */
export function presentedKey(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (match) return match[1];
  }
  const key = headers['x-api-key'];
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}

const hash = (key: string) => createHash('sha256').update(key).digest('hex');
