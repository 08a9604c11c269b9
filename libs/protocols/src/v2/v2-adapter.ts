import { Injectable } from '@nestjs/common';
import type { CacheOutcome } from '@app/caching';
import { ServerConfig } from '@app/config';
import { DataPlane, InferProtocol, InferResult } from '@app/dataplane';
import { ModelVersion, TensorMap } from '@app/models';
import { decodeV2Request, V2DecodedRequest } from './v2-request';
import { encodeV2Response, LABEL_OUTPUT, labelTensor, V2InferResponse, v2OutputSpecs } from './v2-response';

export interface V2Answer {
  body: V2InferResponse;
  /** The binary outputs' bytes, in order, to send after the JSON body (binary tensor data extension); empty for a plain JSON answer. */
  binary: Buffer[];
  /** How the prediction cache answered (the X-Cache header); absent when the model's cache is off. */
  cache?: CacheOutcome;
}

/** The outputs a V2 response can carry for a version: the declared ones, plus "label" for models with labels. */
export function v2OutputNames(servable: ModelVersion): string[] {
  return v2OutputSpecs(servable.signature.outputs, isLabelled(servable)).map((o) => o.name);
}

export function isLabelled(servable: ModelVersion): boolean {
  return servable.config.postprocess !== undefined && servable.labels !== undefined;
}

/**
 * The tensors a V2 answer carries: every output, plus the top label of each row as a BYTES "label" output
 * for models with labels. A graph output already called "label" is answered as it is (v2OutputSpecs adds none then).
 */
export function v2AnswerTensors(result: InferResult): TensorMap {
  const { classifications, outputs } = result;
  if (!classifications || outputs[LABEL_OUTPUT]) return outputs;
  return { ...outputs, [LABEL_OUTPUT]: labelTensor(classifications.map((c) => c.label)) };
}

/**
 * KServe V2 (Open Inference Protocol) `infer` over REST on the data plane: decode the JSON request (and
 * its binary tail) against the version's signature, infer, encode the requested outputs (all by default).
 */
@Injectable()
export class V2Adapter {
  constructor(
    private readonly dataplane: DataPlane,
    private readonly server: ServerConfig,
  ) {}

  /** `binary`: the tensor bytes after the JSON request, with the binary tensor data extension. */
  async infer(name: string, version: number | undefined, body: unknown, binary?: Buffer): Promise<V2Answer> {
    const servable = this.dataplane.model(name, version);
    const available = v2OutputNames(servable);
    const request = decodeV2Request(body, { inputs: servable.signature.inputs, outputs: available }, binary);
    const result = await this.run(servable, request, 'v2');
    const encoded = encodeV2Response({
      model: servable.name,
      version: servable.version,
      id: request.id,
      tensors: v2AnswerTensors(result),
      outputs: request.outputs ?? available,
      binaryOutputs: request.binaryOutputs,
    });
    return { body: encoded.json, binary: encoded.binary, cache: result.cache };
  }

  /** Runs a decoded V2 request (REST or gRPC) on the data plane. */
  run(servable: ModelVersion, request: V2DecodedRequest, protocol: InferProtocol): Promise<InferResult> {
    // A client may shorten its deadline, never stretch it past the server's.
    const timeoutMs = request.timeoutMs === undefined ? undefined : Math.min(request.timeoutMs, this.server.requestTimeoutMs);
    return this.dataplane.infer({ servable, inputs: request.tensors, rows: request.rows, protocol, id: request.id, outputs: request.outputs, timeoutMs });
  }
}
