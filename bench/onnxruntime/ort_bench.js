// The onnxruntime side of bench/compare_onnxruntime.sh.
//
//   node ort_bench.js time --model M.onnx --shape 1,784 --threads 1
//        [--warmup 10] [--min_runs 50] [--min_time 1]
//     Times session.run on random inputs as model_tool benchmark does
//     (warm-up, then runs until both minima are met) and prints one JSON
//     object: p50_us, p90_us, p99_us, mean_us, runs, runs_per_s, cpu_us
//     (process CPU time per run, every thread: above the latency when more
//     than one core worked).
//   node ort_bench.js check --model M.onnx --shape 2,28,28,1 --nchw
//        --x x.npy --y ort_y.npy
//     Writes a random input (in the SavedModel's layout) to x.npy, runs the
//     ONNX model on it (transposed to NCHW with --nchw) and writes its
//     output, back in the SavedModel's layout, to ort_y.npy.
//   node ort_bench.js compare A.npy B.npy [--tol 1e-5]
//     Exits 1 unless |a - b| <= tol * (1 + |b|) everywhere; prints the
//     largest difference.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function flags(argv) {
  const out = {_: []};
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i].startsWith('--')) {
      const name = argv[i].slice(2);
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        out[name] = true;
      } else {
        out[name] = next;
        ++i;
      }
    } else {
      out._.push(argv[i]);
    }
  }
  return out;
}

function product(dims) {
  return dims.reduce((a, b) => a * b, 1);
}

// A seeded uniform [0, 1) generator (mulberry32), so runs are repeatable.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomFloats(count, seed) {
  const next = random(seed);
  const data = new Float32Array(count);
  for (let i = 0; i < count; ++i) data[i] = next();
  return data;
}

// [N, H, W, C] <-> [N, C, H, W].
function nhwcToNchw(data, [n, h, w, c]) {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; ++b)
    for (let y = 0; y < h; ++y)
      for (let x = 0; x < w; ++x)
        for (let k = 0; k < c; ++k)
          out[((b * c + k) * h + y) * w + x] = data[((b * h + y) * w + x) * c + k];
  return out;
}
function nchwToNhwc(data, [n, c, h, w]) {
  const out = new Float32Array(data.length);
  for (let b = 0; b < n; ++b)
    for (let k = 0; k < c; ++k)
      for (let y = 0; y < h; ++y)
        for (let x = 0; x < w; ++x)
          out[((b * h + y) * w + x) * c + k] = data[((b * c + k) * h + y) * w + x];
  return out;
}

function writeNpy(path, data, dims) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims.join(', ')}${dims.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  fs.writeFileSync(path, Buffer.concat([prefix, Buffer.from(header, 'latin1'),
    Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

function readNpy(path) {
  const bytes = fs.readFileSync(path);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12);
  const header = bytes.toString('latin1', start, start + headerLength);
  if (!header.includes("'<f4'")) throw new Error(`${path}: not float32: ${header}`);
  if (header.includes("'fortran_order': True")) throw new Error(`${path}: Fortran order`);
  const shape = header.match(/'shape': \(([^)]*)\)/)[1]
      .split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const body = bytes.subarray(start + headerLength);
  const data = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  return {data, shape};
}

async function session(model, threads) {
  return ort.InferenceSession.create(model, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}

function percentile(sorted, q) {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

async function time(f) {
  const dims = f.shape.split(',').map(Number);
  const s = await session(f.model, Number(f.threads || 1));
  const feeds = {[s.inputNames[0]]: new ort.Tensor('float32', randomFloats(product(dims), 1), dims)};
  const warmup = Number(f.warmup ?? 10);
  const minRuns = Number(f.min_runs ?? 50);
  const minTime = Number(f.min_time ?? 1) * 1e9;
  for (let i = 0; i < warmup; ++i) await s.run(feeds);
  const micros = [];
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  let now = start;
  while (micros.length < minRuns || Number(now - start) < minTime) {
    const runStart = now;
    await s.run(feeds);
    now = process.hrtime.bigint();
    micros.push(Number(now - runStart) / 1e3);
  }
  const seconds = Number(now - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const sum = micros.reduce((a, b) => a + b, 0);
  micros.sort((a, b) => a - b);
  console.log(JSON.stringify({
    p50_us: percentile(micros, 0.5), p90_us: percentile(micros, 0.9),
    p99_us: percentile(micros, 0.99), mean_us: sum / micros.length,
    runs: micros.length, runs_per_s: micros.length / seconds,
    cpu_us: (cpu.user + cpu.system) / micros.length,
  }));
}

async function check(f) {
  const dims = f.shape.split(',').map(Number);
  const x = randomFloats(product(dims), 7);
  writeNpy(f.x, x, dims);
  const s = await session(f.model, 1);
  const nchw = f.nchw === true && dims.length === 4;
  const feedDims = nchw ? [dims[0], dims[3], dims[1], dims[2]] : dims;
  const feed = nchw ? nhwcToNchw(x, dims) : x;
  const result = await s.run({[s.inputNames[0]]: new ort.Tensor('float32', feed, feedDims)});
  const y = result[s.outputNames[0]];
  let data = y.data;
  let outDims = y.dims.slice();
  if (nchw && outDims.length === 4) {
    data = nchwToNhwc(data, outDims);
    outDims = [outDims[0], outDims[2], outDims[3], outDims[1]];
  }
  writeNpy(f.y, data, outDims);
}

function compare(f) {
  const [a, b] = [readNpy(f._[1]), readNpy(f._[2])];
  const tol = Number(f.tol ?? 1e-5);
  if (a.shape.join(',') !== b.shape.join(',')) {
    console.log(`shapes differ: [${a.shape}] vs [${b.shape}]`);
    process.exit(1);
  }
  let worst = 0;
  let worstRel = 0;
  let bad = 0;
  for (let i = 0; i < a.data.length; ++i) {
    const d = Math.abs(a.data[i] - b.data[i]);
    worst = Math.max(worst, d);
    worstRel = Math.max(worstRel, d / (1 + Math.abs(b.data[i])));
    if (!(d <= tol * (1 + Math.abs(b.data[i])))) ++bad;
  }
  console.log(`${a.data.length} values [${a.shape}], max |diff| ${worst.toExponential(2)}, ` +
              `max |diff|/(1+|ref|) ${worstRel.toExponential(2)}, tolerance ${tol}: ` +
              (bad === 0 ? 'agree' : `${bad} differ`));
  process.exit(bad === 0 ? 0 : 1);
}

const f = flags(process.argv.slice(2));
const mode = f._[0];
const run = mode === 'time' ? time(f) : mode === 'check' ? check(f) :
    mode === 'compare' ? Promise.resolve(compare(f)) :
    Promise.reject(new Error('usage: ort_bench.js time|check|compare ...'));
run.catch((e) => {
  console.error(e.message || e);
  process.exit(1);
});
