import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Server, ServerCredentials, ServiceDefinition } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { GrpcConfig, ServerConfig } from '@app/config';
import { INFERENCE_SERVICE, inferencePackage, inferenceProtoDefinition } from '@app/protocols';
import { V2StatusService } from '../v2/v2-status.service';
import { GrpcInferenceService } from './grpc-inference.service';

/** How often grpc.health.v1 re-reads readiness: a Watch sees a change within this. */
const HEALTH_REFRESH_MS = 1000;

/**
 * The gRPC listener beside the HTTP one: inference.GRPCInferenceService, grpc.health.v1.Health (for
 * Kubernetes gRPC probes and grpc-health-probe) and server reflection (for grpcurl without the .proto).
 * It drains before the models stop: new calls are refused, calls in flight finish within the shutdown timeout.
 */
@Injectable()
export class GrpcServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('gRPC');
  private server?: Server;
  private healthTimer?: NodeJS.Timeout;
  /** The bound port (the configured one, or the one the OS chose for port 0). */
  port = 0;

  constructor(
    private readonly config: GrpcConfig,
    private readonly serverConfig: ServerConfig,
    private readonly inference: GrpcInferenceService,
    private readonly status: V2StatusService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.enabled) return;
    const maxBytes = this.config.maxMessageBytes || this.serverConfig.bodyLimitBytes;
    const server = new Server({
      'grpc.max_receive_message_length': maxBytes,
      'grpc.max_send_message_length': maxBytes,
      ...(this.config.keepaliveTimeMs > 0 ? { 'grpc.keepalive_time_ms': this.config.keepaliveTimeMs } : {}),
      'grpc.keepalive_timeout_ms': this.config.keepaliveTimeoutMs,
    });
    const service = lookupService(INFERENCE_SERVICE);
    server.addService(service, this.inference.implementation());
    const health = new HealthImplementation({ '': 'NOT_SERVING', [INFERENCE_SERVICE]: 'NOT_SERVING' });
    health.addToServer(server);
    new ReflectionService(inferenceProtoDefinition()).addToServer(server);
    const address = `${hostOf(this.serverConfig.host)}:${this.config.port}`;
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    this.server = server;
    await this.refreshHealth(health);
    this.healthTimer = setInterval(() => void this.refreshHealth(health), HEALTH_REFRESH_MS);
    this.healthTimer.unref();
    this.logger.log(`KServe V2 gRPC on ${hostOf(this.serverConfig.host)}:${this.port} (health, reflection)`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.healthTimer);
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const drained = new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    const timer = setTimeout(() => server.forceShutdown(), this.serverConfig.shutdownTimeoutMs);
    await drained;
    clearTimeout(timer);
  }

  private async refreshHealth(health: HealthImplementation): Promise<void> {
    const ready = (await this.status.serverReadiness().catch(() => ({ ready: false }))).ready;
    const state = ready ? 'SERVING' : 'NOT_SERVING';
    health.setStatus('', state);
    health.setStatus(INFERENCE_SERVICE, state);
  }
}

function lookupService(name: string): ServiceDefinition {
  const [pkg, service] = name.split('.');
  const ctor = (inferencePackage()[pkg] as Record<string, { service: ServiceDefinition }>)[service];
  return ctor.service;
}

/** grpc-js wants brackets around an IPv6 address. */
function hostOf(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
