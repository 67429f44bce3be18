// Jest's node environment runs each test file in its own V8 context, whose typed-array
// constructors differ from the process's own. onnxruntime-node hands back Float32Arrays made by
// the process, and `instanceof Float32Array` in the test's context then fails ("A float32
// tensor's data must be type of function Float32Array()"). Tests get the process's constructors.
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class NodeRealmEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = NodeRealmEnvironment;
