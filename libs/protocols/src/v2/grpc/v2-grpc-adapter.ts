import { Injectable } from '@nestjs/common';
import { DataPlane } from '@app/dataplane';
import { InvalidInputError } from '@app/errors';
import { parseVersion } from '../../tfserving/predict-target';
import { V2Adapter, v2OutputNames } from '../v2-adapter';
import { decodeV2Request } from '../v2-request';
import { ModelInferRequestMessage, ModelInferResponseMessage } from './grpc-messages';
import { encodeModelInferResponse, grpcInferBody } from './v2-grpc-codec';

/** KServe V2 ModelInfer over gRPC on the data plane: the message is checked by the same decoder as REST, answered in raw contents. */
@Injectable()
export class V2GrpcAdapter {
  constructor(
    private readonly dataplane: DataPlane,
    private readonly v2: V2Adapter,
  ) {}

  /** `deadlineMs`: what is left of the call's own gRPC deadline, which bounds the request's. */
  async infer(message: ModelInferRequestMessage, deadlineMs?: number): Promise<ModelInferResponseMessage> {
    const servable = this.dataplane.model(modelNameOf(message.model_name), grpcVersionOf(message.model_version));
    const available = v2OutputNames(servable);
    const { body, binary } = grpcInferBody(message);
    const request = decodeV2Request(body, { inputs: servable.signature.inputs, outputs: available }, binary);
    if (deadlineMs !== undefined) request.timeoutMs = Math.min(request.timeoutMs ?? Infinity, deadlineMs);
    const result = await this.v2.run(servable, request, 'grpc');
    return encodeModelInferResponse(result, request.outputs ?? available);
  }
}

export function modelNameOf(name: string | undefined): string {
  if (!name) throw new InvalidInputError('model_name is required', 'model_name');
  return name;
}

/** The protocol's version field is a string; empty means the server's choice (the newest available). */
export function grpcVersionOf(version: string | undefined): number | undefined {
  return version ? parseVersion(version) : undefined;
}
