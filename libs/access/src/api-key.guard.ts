import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthConfig, MetricsConfig } from '@app/config';
import { ApiKeyChecker, presentedKey, RequiredScope } from './api-key-checker';
import { SCOPE_KEY } from './scopes.decorator';

/** Global guard: reads the route's @RequireScope and lets ApiKeyChecker decide. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly checker: ApiKeyChecker;

  constructor(
    private readonly reflector: Reflector,
    auth: AuthConfig,
    metrics: MetricsConfig,
  ) {
    this.checker = new ApiKeyChecker(auth.apiKeys, metrics.requireAdminKey);
  }

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<RequiredScope | undefined>(SCOPE_KEY, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    this.checker.check(required, presentedKey(request.headers));
    return true;
  }

  /** For code outside Nest's routing (bull-board's routes) that needs the same decision. */
  assert(required: RequiredScope, headers: Record<string, string | string[] | undefined>): void {
    this.checker.check(required, presentedKey(headers));
  }
}
