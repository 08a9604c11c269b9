import { Injectable } from '@nestjs/common';
import type { ServerDuplexStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { checkModelName, ModelRegistry } from '@app/models';
import {
  grpcErrorOf,
  grpcVersionOf,
  ModelInferRequestMessage,
  ModelInferResponseMessage,
  modelNameOf,
  ModelStreamInferResponseMessage,
  repositoryIndex,
  TritonExtensions,
  V2GrpcAdapter,
} from '@app/protocols';
import { V2StatusService } from '../v2/v2-status.service';
import { GrpcCalls, remainingMs } from './grpc-calls';

interface ModelRef {
  name: string;
  version?: string;
}

/**
 * inference.GRPCInferenceService: each RPC decodes, calls the data plane or the registry, encodes; the
 * same scopes as the REST routes (health and server metadata open, models `predict`, repository `admin`).
 */
@Injectable()
export class GrpcInferenceService {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly adapter: V2GrpcAdapter,
    private readonly status: V2StatusService,
    private readonly registry: ModelRegistry,
    private readonly triton: TritonExtensions,
  ) {}

  implementation(): UntypedServiceImplementation {
    const { calls, status } = this;
    return {
      ServerLive: calls.unary('ServerLive', undefined, () => ({ live: true })),
      ServerReady: calls.unary('ServerReady', undefined, async () => ({ ready: (await status.serverReadiness()).ready })),
      ModelReady: calls.unary('ModelReady', undefined, (r: ModelRef) => ({ ready: status.modelReady(modelNameOf(r.name), grpcVersionOf(r.version)) })),
      ServerMetadata: calls.unary('ServerMetadata', undefined, () => status.serverMetadata()),
      ModelMetadata: calls.unary('ModelMetadata', 'predict', (r: ModelRef) => status.modelMetadata(modelNameOf(r.name), grpcVersionOf(r.version))),
      ModelInfer: calls.unary('ModelInfer', 'predict', (r: ModelInferRequestMessage, call) => this.adapter.infer(r, remainingMs(call.getDeadline()))),
      ModelConfig: calls.unary('ModelConfig', 'predict', (r: ModelRef) => ({ config: this.triton.modelConfig(modelNameOf(r.name), grpcVersionOf(r.version)) })),
      ModelStatistics: calls.unary('ModelStatistics', 'predict', (r: ModelRef) => this.triton.modelStatistics(r.name || undefined, grpcVersionOf(r.version))),
      ModelStreamInfer: (call: ServerDuplexStream<ModelInferRequestMessage, ModelStreamInferResponseMessage>) => this.stream(call),
      RepositoryIndex: calls.unary('RepositoryIndex', 'admin', async (r: { ready?: boolean }) => {
        await this.registry.syncAll();
        return { models: repositoryIndex(this.registry, r.ready === true) };
      }),
      RepositoryModelLoad: calls.unary('RepositoryModelLoad', 'admin', async (r: { model_name: string }) => {
        const name = modelNameOf(r.model_name);
        checkModelName(name);
        await this.registry.load(name);
        return {};
      }),
      RepositoryModelUnload: calls.unary('RepositoryModelUnload', 'admin', async (r: { model_name: string }) => {
        const name = modelNameOf(r.model_name);
        checkModelName(name);
        await this.registry.unload(name);
        return {};
      }),
    };
  }

  /**
   * One answer per request, in order of completion (each carries its request's id); a failed request is
   * answered with error_message and the stream goes on, as Triton's stream does. The stream ends once the
   * client has half-closed and every answer is written. Auth is decided once, from the call's metadata.
   */
  private stream(call: ServerDuplexStream<ModelInferRequestMessage, ModelStreamInferResponseMessage>): void {
    const started = process.hrtime.bigint();
    try {
      this.calls.admit('predict', call.metadata, call.getPeer());
    } catch (error) {
      const refused = grpcErrorOf(error);
      this.calls.observe('ModelStreamInfer', refused.code, started);
      call.emit('error', { code: refused.code, details: refused.details, metadata: refused.metadata });
      return;
    }
    let pending = 0;
    let ended = false;
    const finishIfDone = () => {
      if (!ended || pending > 0) return;
      this.calls.observe('ModelStreamInfer', 0, started);
      call.end();
    };
    call.on('data', (request: ModelInferRequestMessage) => {
      pending++;
      this.adapter
        .infer(request, remainingMs(call.getDeadline()))
        .then(
          (answer: ModelInferResponseMessage) => ({ error_message: '', infer_response: answer }),
          (error: unknown) => ({ error_message: grpcErrorOf(error).details, infer_response: null }),
        )
        .then((message) => {
          pending--;
          if (!call.cancelled) call.write(message);
          finishIfDone();
        });
    });
    call.on('end', () => {
      ended = true;
      finishIfDone();
    });
  }
}
