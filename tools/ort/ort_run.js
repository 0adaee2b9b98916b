#!/usr/bin/env node
// ort_run.js — run an ONNX model with ONNX Runtime (CPU, 1 thread) and write its outputs as .npy.
// The oracle for mcc's whole-model tests (compare with `mcc-run MODEL --reference OUT_DIR`).
//
// Install once (offline from scripts: the CPU library ships inside the npm package; the package's
// postinstall script would try to download extra things and must be skipped):
//   cd tools/ort && npm install --ignore-scripts          # uses package.json / package-lock.json
//   (or: npm install --ignore-scripts onnxruntime-node@1.30.0)
//
// Usage:
//   node tools/ort/ort_run.js MODEL.onnx OUT_DIR IN_0.npy [IN_1.npy ...]
//
// Inputs are bound to the graph inputs in graph order (initializers excluded, as ORT reports them).
// Writes OUT_DIR/output_<i>.npy for each graph output i (graph order), and prints one line per output.
// Options (before the positional arguments or anywhere):
//   --threads N     intra-op threads (default 1)
//   --bench N       also run N more times and print `latency_ms median=<m> min=<m> runs=<N>`
// Exit code: 0 ok, 1 usage / input error, 2 ORT error.
'use strict';

const fs = require('fs');
const path = require('path');

let ort;
try {
  ort = require('onnxruntime-node');
} catch (e) {
  process.stderr.write(
      'ort_run.js: cannot load onnxruntime-node (' + e.message + ')\n' +
      '  install it with: cd ' + __dirname + ' && npm install --ignore-scripts\n');
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------------
// .npy reading / writing (v1, v2, v3; little-endian or byte-order-free dtypes; C order)

// npy descr (without byte-order char) -> ORT tensor type, typed-array constructor, element size
const NPY_TYPES = {
  'f4': {ort: 'float32', arr: Float32Array, size: 4},
  'f8': {ort: 'float64', arr: Float64Array, size: 8},
  'f2': {ort: 'float16', arr: Uint16Array, size: 2},
  'i1': {ort: 'int8', arr: Int8Array, size: 1},
  'i2': {ort: 'int16', arr: Int16Array, size: 2},
  'i4': {ort: 'int32', arr: Int32Array, size: 4},
  'i8': {ort: 'int64', arr: BigInt64Array, size: 8},
  'u1': {ort: 'uint8', arr: Uint8Array, size: 1},
  'u2': {ort: 'uint16', arr: Uint16Array, size: 2},
  'u4': {ort: 'uint32', arr: Uint32Array, size: 4},
  'u8': {ort: 'uint64', arr: BigUint64Array, size: 8},
  'b1': {ort: 'bool', arr: Uint8Array, size: 1},
};
// ORT tensor type -> npy descr
const ORT_TO_NPY = {
  float32: '<f4', float64: '<f8', float16: '<f2', int8: '|i1', int16: '<i2', int32: '<i4', int64: '<i8',
  uint8: '|u1', uint16: '<u2', uint32: '<u4', uint64: '<u8', bool: '|b1',
};

function fail(msg, code = 1) {
  process.stderr.write('ort_run.js: ' + msg + '\n');
  process.exit(code);
}

function parseHeaderDict(file, text) {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) fail(file + ': malformed .npy header: ' + text.trim());
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    const v = Number(s.replace(/L$/, ''));
    if (!Number.isInteger(v) || v < 0) fail(file + ': bad dimension in .npy shape: ' + shape[1]);
    return v;
  });
  return {descr: descr[1], fortran: fortran[1] === 'True', shape: dims};
}

function readNpy(file) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    fail(file + ': cannot read (' + e.message + ')');
  }
  if (buf.length < 10 || buf[0] !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY')
    fail(file + ': not a .npy file (bad magic)');
  const major = buf[6];
  let hlen, hstart;
  if (major === 1) {
    hlen = buf.readUInt16LE(8);
    hstart = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) fail(file + ': truncated .npy header');
    hlen = buf.readUInt32LE(8);
    hstart = 12;
  } else {
    fail(file + ': unsupported .npy version ' + major);
  }
  if (hstart + hlen > buf.length) fail(file + ': truncated .npy header');
  const hdr = parseHeaderDict(file, buf.toString(major === 3 ? 'utf8' : 'latin1', hstart, hstart + hlen));
  let d = hdr.descr;
  const order = d[0];
  if (order === '>' && !(d.endsWith('1'))) fail(file + ': big-endian .npy data (' + d + ') is not supported');
  if (order === '<' || order === '|' || order === '=' || order === '>') d = d.slice(1);
  if (d === 'e') d = 'f2';
  if (d === '?') d = 'b1';
  const t = NPY_TYPES[d];
  if (!t) fail(file + ': unsupported .npy dtype ' + hdr.descr);
  const numel = hdr.shape.reduce((a, b) => a * b, 1);
  const off = hstart + hlen;
  const nbytes = numel * t.size;
  if (buf.length - off < nbytes)
    fail(file + ': truncated .npy data (expected ' + nbytes + ' bytes, found ' + (buf.length - off) + ')');
  // copy into an aligned buffer
  const bytes = new Uint8Array(nbytes);
  bytes.set(buf.subarray(off, off + nbytes));
  let data = new t.arr(bytes.buffer, 0, numel);
  if (hdr.fortran && hdr.shape.length > 1) data = fortranToC(data, hdr.shape, t.arr);
  if (t.ort === 'bool') data = Uint8Array.from(data, (v) => (v ? 1 : 0));
  return {type: t.ort, shape: hdr.shape, data};
}

function fortranToC(src, shape, Ctor) {
  const n = src.length, rank = shape.length;
  const dst = new Ctor(n);
  const idx = new Array(rank).fill(0);
  // Fortran strides
  const fstride = new Array(rank);
  let s = 1;
  for (let i = 0; i < rank; ++i) { fstride[i] = s; s *= shape[i]; }
  for (let c = 0; c < n; ++c) {
    let f = 0;
    for (let i = 0; i < rank; ++i) f += idx[i] * fstride[i];
    dst[c] = src[f];
    for (let i = rank - 1; i >= 0; --i) {
      if (++idx[i] < shape[i]) break;
      idx[i] = 0;
    }
  }
  return dst;
}

// Byte for byte as numpy.save: room for the first axis to grow to 21 digits, then spaces so that
// magic(6) + version(2) + length(2) + header + '\n' is a multiple of 64 (a full 64 if it already is).
function npyHeader(descr, shape) {
  const shp = shape.length === 1 ? '(' + shape[0] + ',)' : '(' + shape.join(', ') + ')';
  let dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shp + ', }';
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, 21 - String(shape[0]).length));
  const pad = 64 - ((10 + dict.length + 1) % 64);
  dict = dict + ' '.repeat(pad) + '\n';
  if (dict.length > 65535) throw new Error('npy header too long');
  const h = Buffer.alloc(10 + dict.length);
  h[0] = 0x93;
  h.write('NUMPY', 1, 'latin1');
  h[6] = 1;
  h[7] = 0;
  h.writeUInt16LE(dict.length, 8);
  h.write(dict, 10, 'latin1');
  return h;
}

function writeNpy(file, tensor) {
  const descr = ORT_TO_NPY[tensor.type];
  if (!descr) fail(file + ': cannot write ORT tensor type ' + tensor.type + ' as .npy', 2);
  let data = tensor.data;
  // float16 may come back as Float16Array (when available) — write the raw bits
  if (tensor.type === 'float16' && !(data instanceof Uint16Array)) {
    if (tensor.data.buffer && data.BYTES_PER_ELEMENT === 2) {
      data = new Uint16Array(data.buffer, data.byteOffset, data.length);
    } else {
      fail(file + ': unsupported float16 output container', 2);
    }
  }
  if (tensor.type === 'bool') data = Uint8Array.from(data, (v) => (v ? 1 : 0));
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(file, Buffer.concat([npyHeader(descr, tensor.dims), body]));
}

// ---------------------------------------------------------------------------------------------------

function fmtShape(s) { return '[' + s.join(',') + ']'; }

async function main() {
  const args = process.argv.slice(2);
  let threads = 1, bench = 0;
  const pos = [];
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--threads') threads = parseInt(args[++i], 10);
    else if (args[i] === '--bench') bench = parseInt(args[++i], 10);
    else if (args[i] === '-h' || args[i] === '--help') pos.length = 0, i = args.length;
    else pos.push(args[i]);
  }
  if (pos.length < 2 || !(threads >= 1) || !(bench >= 0)) {
    process.stderr.write(
        'usage: node ort_run.js [--threads N] [--bench N] MODEL.onnx OUT_DIR [IN_0.npy IN_1.npy ...]\n');
    process.exit(1);
  }
  const [model, outDir, ...inFiles] = pos;
  if (!fs.existsSync(model)) fail(model + ': no such file');

  let session;
  try {
    session = await ort.InferenceSession.create(model, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (e) {
    fail(model + ': ONNX Runtime could not load the model: ' + e.message, 2);
  }
  const inNames = session.inputNames;
  const outNames = session.outputNames;
  if (inFiles.length !== inNames.length)
    fail(model + ': the graph has ' + inNames.length + ' input(s) [' + inNames.join(', ') + '], got ' +
         inFiles.length + ' file(s)');

  const feeds = {};
  inNames.forEach((name, i) => {
    const t = readNpy(inFiles[i]);
    feeds[name] = new ort.Tensor(t.type, t.data, t.shape);
  });

  let results;
  try {
    results = await session.run(feeds);
  } catch (e) {
    fail(model + ': ONNX Runtime run failed: ' + e.message, 2);
  }
  fs.mkdirSync(outDir, {recursive: true});
  outNames.forEach((name, i) => {
    const t = results[name];
    const file = path.join(outDir, 'output_' + i + '.npy');
    writeNpy(file, t);
    console.log('output ' + i + ' ' + name + ' ' + t.type + fmtShape(t.dims) + ' -> ' + file);
  });

  if (bench > 0) {
    const times = [];
    for (let r = 0; r < bench; ++r) {
      const t0 = process.hrtime.bigint();
      await session.run(feeds);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    const median = times.length % 2 ? times[(times.length - 1) / 2]
                                     : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
    console.log('latency_ms median=' + median.toFixed(4) + ' min=' + times[0].toFixed(4) + ' runs=' + bench);
  }
  await session.release();
}

main().catch((e) => fail(e.stack || String(e), 2));
