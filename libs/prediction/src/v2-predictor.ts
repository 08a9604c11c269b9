import { Injectable } from '@nestjs/common';
import type { CacheOutcome } from '@app/caching';
import { ServerConfig } from '@app/config';
import { decodeV2Request, encodeV2Response, LABEL_OUTPUT, labelTensor, ModelVersion, TensorMap, V2InferResponse, v2OutputSpecs } from '@app/models';
import { Prediction, PredictionService } from './prediction.service';

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
 * KServe V2 (Open Inference Protocol) `infer` on top of the prediction path: decode the request against the
 * version's signature, predict, encode the requested outputs (all of them by default).
 */
@Injectable()
export class V2Predictor {
  constructor(
    private readonly predictions: PredictionService,
    private readonly server: ServerConfig,
  ) {}

  /** `binary`: the tensor bytes after the JSON request, with the binary tensor data extension. */
  async infer(name: string, version: number | undefined, body: unknown, binary?: Buffer): Promise<V2Answer> {
    const servable = this.predictions.resolve(name, version);
    const available = v2OutputNames(servable);
    const request = decodeV2Request(body, { inputs: servable.signature.inputs, outputs: available }, binary);
    // A client may shorten its deadline, never stretch it past the server's.
    const timeoutMs = request.timeoutMs === undefined ? undefined : Math.min(request.timeoutMs, this.server.requestTimeoutMs);
    const prediction = await this.predictions.predict(servable, request.tensors, request.rows, { timeoutMs });
    const encoded = encodeV2Response({
      model: servable.name,
      version: servable.version,
      id: request.id,
      tensors: answerTensors(prediction),
      outputs: request.outputs ?? available,
      binaryOutputs: request.binaryOutputs,
    });
    return { body: encoded.json, binary: encoded.binary, cache: prediction.cache };
  }
}

function answerTensors(prediction: Prediction): TensorMap {
  const { classifications, outputs } = prediction;
  // A graph output already called "label" is answered as it is (v2OutputSpecs adds none then).
  if (!classifications || outputs[LABEL_OUTPUT]) return outputs;
  return { ...outputs, [LABEL_OUTPUT]: labelTensor(classifications.map((c) => c.label)) };
}
