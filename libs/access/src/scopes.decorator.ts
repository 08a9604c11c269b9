import { SetMetadata } from '@nestjs/common';
import { ApiScope } from '@app/config';

export const SCOPE_KEY = 'modelgate:scope';

/** The scope a route needs. Routes without it are open (health, docs). */
export const RequireScope = (scope: ApiScope | 'metrics') => SetMetadata(SCOPE_KEY, scope);
