import { GrpcObject, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync, Options, PackageDefinition } from '@grpc/proto-loader';
import { join } from 'path';

/** Where the service's .proto files are: the build copies them next to the compiled code (see nest-cli / package.json). */
export const PROTO_DIR = join(__dirname, 'proto');
export const INFERENCE_PROTO = join(PROTO_DIR, 'grpc_service.proto');
export const INFERENCE_SERVICE = 'inference.GRPCInferenceService';

/**
 * How messages look in code: field names as in the .proto (snake_case, as Triton's JSON views are), int64
 * as numbers (tensor shapes and counts stay far below 2^53), enums as their names, absent fields filled
 * with their defaults, and the name of the set member of each oneof (`parameter_choice`).
 */
export const PROTO_LOADER_OPTIONS: Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_DIR] };

let definition: PackageDefinition | undefined;

/** The package definition of grpc_service.proto (and the model_config.proto it imports), parsed once per process. */
export function inferenceProtoDefinition(): PackageDefinition {
  definition ??= loadSync(INFERENCE_PROTO, PROTO_LOADER_OPTIONS);
  return definition;
}

export function inferencePackage(): GrpcObject {
  return loadPackageDefinition(inferenceProtoDefinition());
}
