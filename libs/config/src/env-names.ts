/**
 * The environment name of every setting: MODELGATE_<SECTION>_<KEY> in upper snake case, except the short
 * names that the design page and twelve-factor habits make conventional.
 */
const SHORT_NAMES: Record<string, string> = {
  'server.port': 'PORT',
  'redis.url': 'REDIS_URL',
  'models.repository': 'MODEL_REPOSITORY',
  'logging.dir': 'LOG_DIR',
  'logging.level': 'LOG_LEVEL',
};

const toUpperSnake = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

export function envNameOf(path: string): string {
  return SHORT_NAMES[path] ?? `MODELGATE_${path.split('.').map(toUpperSnake).join('_')}`;
}
