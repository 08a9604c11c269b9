/** Messages between the main thread and a session worker. Plain data only: they cross a thread boundary. */
export interface WorkerTensor {
  type: string; // onnxruntime type name
  dims: number[];
  data: ArrayBufferView | string[];
}

export interface SessionWorkerData {
  modelPath: string;
  threads: number;
  executionProvider: 'cpu' | 'cuda';
  fallback?: 'cpu';
}

export interface ValueInfo {
  name: string;
  type: string; // onnxruntime type name, '' for non-tensors
  shape: (number | string)[];
}

export type WorkerReply =
  | { kind: 'ready'; inputs: ValueInfo[]; outputs: ValueInfo[]; provider: string; warning?: string }
  | { kind: 'load-error'; message: string }
  | { kind: 'result'; id: number; outputs: Record<string, WorkerTensor> }
  | { kind: 'error'; id: number; message: string };

export interface RunMessage {
  kind: 'run';
  id: number;
  feeds: Record<string, WorkerTensor>;
  fetches?: string[];
}
