import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthConfig, MetricsConfig } from '@app/config';
import { ApiKeyChecker, presentedKey, RequiredScope } from './api-key-checker';
import { RateLimiter } from './rate-limiter';
import { SCOPE_KEY } from './scopes.decorator';

/**
 * Global guard: reads the route's @RequireScope and lets ApiKeyChecker decide; then, on routes of the
 * predict scope, takes a token from the client's bucket (429 with Retry-After when it is empty). A
 * refused key is answered 401/403 without using up anyone's tokens.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly checker: ApiKeyChecker;
  private readonly limiter: RateLimiter;

  constructor(
    private readonly reflector: Reflector,
    auth: AuthConfig,
    metrics: MetricsConfig,
  ) {
    this.checker = new ApiKeyChecker(auth.apiKeys, metrics.requireAdminKey);
    this.limiter = new RateLimiter({ perSecond: auth.rateLimitPerSecond, burst: auth.rateLimitBurst });
  }

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<RequiredScope | undefined>(SCOPE_KEY, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; ip?: string }>();
    this.admit(required, request.headers, request.ip);
    return true;
  }

  /**
   * The whole decision for one call, for transports outside Nest's router too (gRPC metadata are headers
   * here): the key and its scope, then a token from the client's bucket on predict-scope calls.
   */
  admit(required: RequiredScope | undefined, headers: Record<string, string | string[] | undefined>, address: string | undefined): void {
    const presented = presentedKey(headers);
    this.checker.check(required, presented);
    if (required === 'predict' && this.limiter.enabled) this.limiter.take(this.checker.clientOf(presented, address));
  }

  /** For code outside Nest's routing (bull-board's routes) that needs the same decision. */
  assert(required: RequiredScope, headers: Record<string, string | string[] | undefined>): void {
    this.checker.check(required, presentedKey(headers));
  }
}
