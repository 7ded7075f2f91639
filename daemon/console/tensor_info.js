// What the console reads from a signature's TensorInfo (the metadata
// endpoint's JSON, as TF Serving prints it): dtype, shape, and whether the
// input looks like an image.

// [-1, 28, 28, 1] from {"dim": [{"size": "-1"}, ...]}, or null for an
// unknown rank.
export function shapeOf(tensorInfo) {
  const shape = tensorInfo.tensor_shape || {};
  if (shape.unknown_rank) return null;
  return (shape.dim || []).map((d) => Number(d.size ?? 0));
}

export function shapeText(shape) {
  if (shape === null) return 'unknown rank';
  return '[' + shape.map((d) => (d < 0 ? '?' : String(d))).join(', ') + ']';
}

const kIntegerTypes = new Set([
  'DT_INT8', 'DT_INT16', 'DT_INT32', 'DT_INT64', 'DT_UINT8', 'DT_UINT16',
  'DT_UINT32', 'DT_UINT64',
]);
const kFloatTypes =
    new Set(['DT_FLOAT', 'DT_DOUBLE', 'DT_HALF', 'DT_BFLOAT16']);

export function isInteger(dtype) {
  return kIntegerTypes.has(dtype);
}
export function isNumeric(dtype) {
  return kIntegerTypes.has(dtype) || kFloatTypes.has(dtype);
}

// How an input can take an uploaded picture, or null:
//   {layout: 'nhwc', height, width, channels}   [N, H, W, C], C in 1, 3, 4
//   {layout: 'nhw', height, width, channels: 1} [N, H, W] (grayscale)
//   {layout: 'flat', height, width, channels: 1} [N, H*W] with H = W >= 8
// height/width are 0 where the signature leaves them open (-1).
export function imageLayout(dtype, shape) {
  if (!isNumeric(dtype) || shape === null) return null;
  const size = (d) => (d > 0 ? d : 0);
  if (shape.length === 4 && [1, 3, 4].includes(shape[3])) {
    return {
      layout: 'nhwc', height: size(shape[1]), width: size(shape[2]),
      channels: shape[3],
    };
  }
  if (shape.length === 3 && shape[1] !== 1 && shape[2] !== 1 &&
      (shape[1] >= 8 || shape[1] < 0) && (shape[2] >= 8 || shape[2] < 0)) {
    return {
      layout: 'nhw', height: size(shape[1]), width: size(shape[2]),
      channels: 1,
    };
  }
  if (shape.length === 2 && shape[1] >= 64) {
    const side = Math.round(Math.sqrt(shape[1]));
    if (side * side === shape[1]) {
      return {layout: 'flat', height: side, width: side, channels: 1};
    }
  }
  return null;
}

// A JSON value of the input's shape filled with zeros (or "" / false), with
// unknown dimensions taken as 1; "" when it would be too large to edit.
export function templateValue(dtype, shape) {
  const zero = dtype === 'DT_STRING' ? '' : dtype === 'DT_BOOL' ? false : 0;
  if (shape === null) return zero;
  const dims = shape.map((d) => (d < 0 ? 1 : d));
  if (dims.reduce((a, b) => a * b, 1) > 4096) return undefined;
  const build = (axis) => axis === dims.length ?
      zero :
      Array.from({length: dims[axis]}, () => build(axis + 1));
  return build(0);
}
