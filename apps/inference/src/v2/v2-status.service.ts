import { Inject, Injectable } from '@nestjs/common';
import { ModelNotFoundError } from '@app/errors';
import { READINESS_CHECKS, ReadinessCheck } from '@app/health';
import { ModelRegistry } from '@app/models';
import { isLabelled, metadataTensor, V2MetadataTensor, v2OutputSpecs } from '@app/protocols';
import { serverVersion } from './server-version';

/** Extensions of the protocol this server implements, as Triton names them. */
export const V2_EXTENSIONS = ['model_repository', 'binary_tensor_data', 'model_configuration', 'statistics'];

/** The protocol leaves the platform informational; this is Triton's name for ONNX models run by ONNX Runtime. */
export const V2_PLATFORM = 'onnxruntime_onnx';

export interface ServerReadiness {
  ready: boolean;
  /** `<part>: <why>` for each part that is down. */
  failing: string[];
}

export interface V2ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: V2MetadataTensor[];
  outputs: V2MetadataTensor[];
}

/** What the V2 metadata and health routes report, from the registry and the app's readiness checks. */
@Injectable()
export class V2StatusService {
  constructor(
    private readonly registry: ModelRegistry,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  serverMetadata() {
    return { name: 'modelgate', version: serverVersion(), extensions: [...V2_EXTENSIONS] };
  }

  /**
   * Ready to infer: the checks of /health/ready that inline predictions need (models, event loop). Redis and
   * the queue backlog are left out: without them jobs answer 503, while predictions go on.
   */
  async serverReadiness(): Promise<ServerReadiness> {
    const results = await Promise.all(
      this.checks.filter((c) => c.neededToInfer !== false).map((c) => c.check().catch((error: Error) => ({ check: { status: 'down', message: error.message } }))),
    );
    const failing: string[] = [];
    for (const result of results) {
      for (const [part, state] of Object.entries(result)) {
        const { status, message } = state as { status: string; message?: unknown };
        if (status !== 'up') failing.push(typeof message === 'string' ? `${part}: ${message}` : part);
      }
    }
    return { ready: failing.length === 0, failing };
  }

  /** Unknown model or version: ModelNotFoundError (an error, not a "false"). */
  modelReady(name: string, version?: number): boolean {
    const status = this.registry.status(name);
    if (version === undefined) return status.versions.some((v) => v.state === 'AVAILABLE');
    const found = status.versions.find((v) => v.version === version);
    if (!found) throw new ModelNotFoundError(name, version);
    return found.state === 'AVAILABLE';
  }

  /** $metadata_model_response of a version that serves (the newest when none is named). */
  modelMetadata(name: string, version?: number): V2ModelMetadata {
    const servable = this.registry.resolve(name, version);
    const versions = this.registry
      .status(name)
      .versions.filter((v) => v.state === 'AVAILABLE')
      .map((v) => v.version)
      .sort((a, b) => a - b)
      .map(String);
    return {
      name: servable.name,
      versions,
      platform: V2_PLATFORM,
      inputs: servable.signature.inputs.map(metadataTensor),
      outputs: v2OutputSpecs(servable.signature.outputs, isLabelled(servable)).map(metadataTensor),
    };
  }
}
