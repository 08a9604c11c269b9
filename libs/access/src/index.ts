export { AccessModule } from './access.module';
export { ApiKeyGuard } from './api-key.guard';
export { RequireScope } from './scopes.decorator';
export { ApiKeyChecker, presentedKey } from './api-key-checker';
export type { RequiredScope } from './api-key-checker';
