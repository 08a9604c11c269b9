/** The messages of grpc_service.proto that modelgate reads and writes, as proto-loader presents them (see grpc-proto.ts). */

export interface InferParameterMessage {
  bool_param?: boolean;
  int64_param?: number;
  string_param?: string;
  double_param?: number;
  uint64_param?: number;
  /** Which member of the oneof is set. */
  parameter_choice?: 'bool_param' | 'int64_param' | 'string_param' | 'double_param' | 'uint64_param';
}

export type ParameterMap = Record<string, InferParameterMessage>;

export interface InferTensorContentsMessage {
  bool_contents?: boolean[];
  int_contents?: number[];
  int64_contents?: number[];
  uint_contents?: number[];
  uint64_contents?: number[];
  fp32_contents?: number[];
  fp64_contents?: number[];
  bytes_contents?: Buffer[];
}

export interface InferInputTensorMessage {
  name: string;
  datatype: string;
  shape: number[];
  parameters?: ParameterMap;
  contents?: InferTensorContentsMessage | null;
}

export interface ModelInferRequestMessage {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: ParameterMap;
  inputs: InferInputTensorMessage[];
  outputs?: { name: string; parameters?: ParameterMap }[];
  raw_input_contents?: Buffer[];
}

export interface InferOutputTensorMessage {
  name: string;
  datatype: string;
  shape: number[];
}

export interface ModelInferResponseMessage {
  model_name: string;
  model_version: string;
  id: string;
  outputs: InferOutputTensorMessage[];
  raw_output_contents: Buffer[];
}

export interface ModelStreamInferResponseMessage {
  error_message: string;
  infer_response?: ModelInferResponseMessage | null;
}
