import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { parseRedisUrl } from './redis-url';

/** One class per concern; each is also a Nest provider token, so a service injects only what it reads. */
export class ServerConfig {
  @IsString() @MinLength(1) host!: string;
  @IsInt() @Min(0) @Max(65535) port!: number;
  @IsInt() @Min(1024) bodyLimitBytes!: number;
  @IsInt() @Min(1) requestTimeoutMs!: number;
  @IsInt() @Min(0) shutdownTimeoutMs!: number;
  /** Server processes on one port: a number, or `auto` (see workerCount in libs/platform). */
  @IsWorkerCount() workers!: number | 'auto';
}

function IsWorkerCount(): PropertyDecorator {
  return ValidateBy({
    name: 'isWorkerCount',
    validator: {
      validate: (value: unknown) => value === 'auto' || (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 256),
      defaultMessage: () => 'must be auto or an integer from 1 to 256',
    },
  });
}

export class GrpcConfig {
  @IsBoolean() enabled!: boolean;
  @IsInt() @Min(0) @Max(65535) port!: number;
  /** Largest message received or sent; 0 = server.bodyLimitBytes. */
  @IsInt() @Min(0) maxMessageBytes!: number;
  /** Server-initiated keepalive pings on idle connections; 0 = none. */
  @IsInt() @Min(0) keepaliveTimeMs!: number;
  @IsInt() @Min(1) keepaliveTimeoutMs!: number;
}

export class RedisConfig {
  /** One server, a Sentinel group or a Cluster: the forms are in redis-url.ts. */
  @IsRedisUrl() url!: string;
  @IsBoolean() embedded!: boolean;
  @Matches(/^[A-Za-z0-9_.:-]{1,64}$/, { message: 'must be 1-64 characters of letters, digits, _ . : -' })
  keyPrefix!: string;
}

function IsRedisUrl(): PropertyDecorator {
  let reason = '';
  return ValidateBy({
    name: 'matches', // reported as a format error, like the other string settings
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return ((reason = 'must be a string'), false);
        try {
          parseRedisUrl(value);
          return true;
        } catch (error) {
          reason = (error as Error).message;
          return false;
        }
      },
      defaultMessage: () => reason,
    },
  });
}

export class ModelsConfig {
  @IsString() @MinLength(1) repository!: string;
  /** The name a single-model directory (model.onnx at the repository's root, as KServe's /mnt/models) serves under; '' = the folder's name. */
  @Matches(/^$|^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { message: 'must be empty or a model name: 1-64 letters, digits, _ . -, starting with a letter or digit' })
  name?: string;
  @IsBoolean() watch!: boolean;
  @IsInt() @Min(0) pollIntervalSeconds!: number;
  @IsBoolean() warmup!: boolean;
  @IsInt() @Min(1) @Max(64) defaultInstances!: number;
  @IsInt() @Min(1) @Max(256) defaultThreads!: number;
  @IsInt() @Min(0) @Max(4096) maxInstances!: number;
}

export const BATCHING_POLICIES = ['fixed', 'aimd', 'quantile'] as const;
export class BatchingConfig {
  @IsBoolean() enabled!: boolean;
  @IsInt() @Min(1) @Max(65536) maxBatchSize!: number;
  @IsNumber() @Min(0) @Max(10000) maxDelayMs!: number;
  @IsIn(BATCHING_POLICIES) policy!: (typeof BATCHING_POLICIES)[number];
  @IsNumber() @Min(0.1) latencySloMs!: number;
  @IsInt() @Min(1) aimdStep!: number;
  @IsNumber() @Min(0.01) @Max(0.99) aimdFactor!: number;
  @IsNumber() @Min(0.5) @Max(0.9999) quantile!: number;
  @IsInt() @Min(1) maxQueue!: number;
}

export const CACHE_POLICIES = ['lru', 'lfu', 'ttl', 'off'] as const;
export const CACHE_TIERS = ['memory', 'redis', 'both'] as const;
export class CacheConfig {
  @IsIn(CACHE_POLICIES) policy!: (typeof CACHE_POLICIES)[number];
  @IsInt() @Min(1) maxEntries!: number;
  @IsInt() @Min(1) ttlSeconds!: number;
  @IsIn(CACHE_TIERS) tier!: (typeof CACHE_TIERS)[number];
}

export class QueueConfig {
  @IsInt() @Min(1) @Max(100) attempts!: number;
  @IsInt() @Min(0) backoffMs!: number;
  @IsInt() @Min(1) removeOnCompleteSeconds!: number;
  @IsInt() @Min(1) removeOnFailSeconds!: number;
  @IsInt() @Min(1) maxWaiting!: number;
  @IsInt() @Min(1) jobTimeoutMs!: number;
  @IsInt() @Min(1) syncTimeoutMs!: number;
  @IsInt() @Min(1) @Max(10) defaultPriority!: number;
  @IsInt() @Min(1) @Max(100) maxAttempts!: number;
  @IsInt() @Min(1) maxJobTimeoutMs!: number;
  @IsInt() @Min(1000) lockDurationMs!: number;
  @IsInt() @Min(100) stalledIntervalMs!: number;
  @IsInt() @Min(10) redisTimeoutMs!: number;
  /** Replicas that must confirm a new job (Redis WAIT) before it is answered 202; 0 = the master's word. */
  @IsInt() @Min(0) @Max(16) ackReplicas!: number;
}

export class DriftConfig {
  @IsInt() @Min(10) @Max(1_000_000) windowSize!: number;
  @IsNumber() @Min(0) psiThreshold!: number;
  @IsNumber() @Min(0) @Max(1) pValueThreshold!: number;
  @IsInt() @Min(1) minSamples!: number;
  @IsInt() @Min(1) @Max(1000) keepReports!: number;
}

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'verbose'] as const;
export class LoggingConfig {
  @IsIn(LOG_LEVELS) level!: (typeof LOG_LEVELS)[number];
  @IsString() @MinLength(1) dir!: string;
  @IsBoolean() accessLog!: boolean;
}

export const API_SCOPES = ['predict', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];
export class AuthConfig {
  /** key -> scopes; validated by the loader (class-validator has no "record of enum arrays"). */
  @IsObject() apiKeys!: Record<string, ApiScope[]>;
  /** Requests per second per client on the routes of the predict scope; 0 = no limit. */
  @IsNumber() @Min(0) rateLimitPerSecond!: number;
  @IsInt() @Min(1) rateLimitBurst!: number;
}

export class HealthConfig {
  @IsInt() @Min(10) redisTimeoutMs!: number;
  @IsInt() @Min(10) maxEventLoopDelayMs!: number;
}

export class MetricsConfig {
  @IsBoolean() enabled!: boolean;
  @IsBoolean() requireAdminKey!: boolean;
}

export class QueueProcessorConfig {
  @IsInt() @Min(0) @Max(65535) healthPort!: number;
}

export class SchedulerConfig {
  @IsInt() @Min(0) @Max(65535) healthPort!: number;
}

export class AppConfig {
  @ValidateNested() @Type(() => ServerConfig) server!: ServerConfig;
  @ValidateNested() @Type(() => GrpcConfig) grpc!: GrpcConfig;
  @ValidateNested() @Type(() => RedisConfig) redis!: RedisConfig;
  @ValidateNested() @Type(() => ModelsConfig) models!: ModelsConfig;
  @ValidateNested() @Type(() => BatchingConfig) batching!: BatchingConfig;
  @ValidateNested() @Type(() => CacheConfig) cache!: CacheConfig;
  @ValidateNested() @Type(() => QueueConfig) queue!: QueueConfig;
  @ValidateNested() @Type(() => DriftConfig) drift!: DriftConfig;
  @ValidateNested() @Type(() => LoggingConfig) logging!: LoggingConfig;
  @ValidateNested() @Type(() => AuthConfig) auth!: AuthConfig;
  @ValidateNested() @Type(() => HealthConfig) health!: HealthConfig;
  @ValidateNested() @Type(() => MetricsConfig) metrics!: MetricsConfig;
  @ValidateNested() @Type(() => QueueProcessorConfig) queueProcessor!: QueueProcessorConfig;
  @ValidateNested() @Type(() => SchedulerConfig) scheduler!: SchedulerConfig;
  /** Where config/*.yaml were read from; other files (logger.yaml, schedules.yaml) are read from here too. */
  configDir!: string;
}

/** The section classes, keyed by their name in default.yaml. */
export const CONFIG_SECTIONS = {
  server: ServerConfig,
  grpc: GrpcConfig,
  redis: RedisConfig,
  models: ModelsConfig,
  batching: BatchingConfig,
  cache: CacheConfig,
  queue: QueueConfig,
  drift: DriftConfig,
  logging: LoggingConfig,
  auth: AuthConfig,
  health: HealthConfig,
  metrics: MetricsConfig,
  queueProcessor: QueueProcessorConfig,
  scheduler: SchedulerConfig,
} as const;
export type ConfigSectionName = keyof typeof CONFIG_SECTIONS;
