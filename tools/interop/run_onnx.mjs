// Runs a converted model (kws convert --format onnx) in the real ONNX Runtime
// (onnxruntime-node) on every input of a case folder written by the tests
// (tests/common/interop_cases.hpp): reads case.json and mfcc.f32 and writes
// each graph output NAME, all inputs concatenated, as onnx_NAME.i8 (int8) or
// onnx_NAME.f32 (float32) next to them: onnx_logits.f32, and with the
// writer's test options onnx_activation.i8 etc.
//
// usage: node tools/interop/run_onnx.mjs MODEL.onnx CASE_DIR
// Exit 0 on success; on failure one "error: ..." line on stderr, exit 1.
import {readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';

// onnxruntime-node is CommonJS, installed next to this script
// (npm ci --prefix tools/interop, scripts/setup.sh).
const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');

async function main(modelPath, caseDir) {
  const info = JSON.parse(readFileSync(path.join(caseDir, 'case.json'), 'utf8'));
  const mfccBytes = readFileSync(path.join(caseDir, 'mfcc.f32'));
  const perInput = info.frames * info.num_mfcc;
  if (mfccBytes.length !== info.count * perInput * 4) {
    throw new Error(`mfcc.f32 has ${mfccBytes.length} bytes, case.json ` +
                    `expects ${info.count * perInput * 4}`);
  }
  // A copy: a Buffer's bytes need not be 4-byte aligned.
  const mfcc = new Float32Array(mfccBytes.buffer.slice(
      mfccBytes.byteOffset, mfccBytes.byteOffset + mfccBytes.length));
  // The default optimization level ("all"): the graph as a user's session
  // runs it. One thread: the same sums in the same order on every machine.
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  // Every output, inputs concatenated: name -> typed array.
  const outputs = {};
  for (let i = 0; i < info.count; ++i) {
    const x = new ort.Tensor(
        'float32', mfcc.subarray(i * perInput, (i + 1) * perInput),
        [1, info.frames, info.num_mfcc, 1]);
    const out = await session.run({mfcc: x});
    for (const name of session.outputNames) {
      const data = out[name].data;
      if (!(name in outputs)) {
        outputs[name] = new data.constructor(info.count * data.length);
      }
      if (data.length * info.count !== outputs[name].length) {
        throw new Error(`output ${name} changed size at input ${i}`);
      }
      outputs[name].set(data, i * data.length);
    }
  }
  const expected = {logits: info.labels, activation: info.activation_size};
  for (const [name, values] of Object.entries(outputs)) {
    const each = values.length / info.count;
    if (name in expected && each !== expected[name]) {
      throw new Error(`${name} has ${each} values per input, expected ` +
                      `${expected[name]}`);
    }
    const extension = values instanceof Int8Array      ? 'i8'
                      : values instanceof Float32Array ? 'f32'
                                                       : null;
    if (extension === null) {
      throw new Error(`output ${name}: unexpected type ${values.constructor.name}`);
    }
    writeFileSync(path.join(caseDir, `onnx_${name}.${extension}`),
                  Buffer.from(values.buffer, values.byteOffset,
                              values.byteLength));
  }
  console.log(`ran ${info.count} inputs through ${path.basename(modelPath)} ` +
              `(onnxruntime-node ${ort.env.versions.node})`);
}

if (process.argv.length !== 4) {
  console.error('usage: node run_onnx.mjs MODEL.onnx CASE_DIR');
  process.exit(2);
}
main(process.argv[2], process.argv[3]).catch((e) => {
  console.error(`error: ${e.message.split('\n')[0]}`);
  process.exit(1);
});
