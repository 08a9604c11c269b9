// Jest's node environment gives each test file its own realm, with its own Float32Array & co., but
// onnxruntime-node's native addon creates output arrays in Node's main realm, so `session.run` fails
// with "A float32 tensor's data must be type of function Float32Array()". Handing the test realm the
// main realm's typed-array constructors makes both sides agree. Use it with a docblock:
//   /** @jest-environment ./scripts/onnx/jest-onnxruntime-environment.js */
const { TestEnvironment } = require('jest-environment-node');

const TYPED_ARRAYS = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];

class OnnxRuntimeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxRuntimeEnvironment;
