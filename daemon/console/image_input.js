// Turns an uploaded picture into an input tensor, in the browser: decode
// (createImageBitmap), resize to the signature's H x W on a canvas, take
// grayscale (ITU-R BT.601 luma, as tf.image.rgb_to_grayscale) when the input
// has one channel, scale each value as the user picked, and nest it in a
// batch of one in the input's layout (tensor_info.js imageLayout).

export const kScales = {
  '0..1': (v) => v / 255,
  '0..255': (v) => v,
  '-1..1': (v) => v / 127.5 - 1,
};

// Draws `file` resized to width x height; returns the canvas's RGBA pixels
// and the canvas (shown as the preview).
export async function decodeAndResize(file, width, height) {
  if (!(width > 0 && height > 0 && width <= 4096 && height <= 4096)) {
    throw new Error(`image size ${width}x${height} must be 1..4096 each`);
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (error) {
    throw new Error(`${file.name} is not an image this browser decodes`);
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.className = 'preview';
  const context = canvas.getContext('2d', {willReadFrequently: true});
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return {canvas, rgba: context.getImageData(0, 0, width, height).data};
}

// options: {layout, channels, scale ('0..1', ...), invert, integer,
// columnMajor}. Returns the JSON value of a batch of one image. columnMajor
// flattens a 'flat' image column by column, as R and Fortran lay out
// arrays (an MNIST model trained from R reads its 784 pixels that way).
export function pixelsToTensor(rgba, width, height, options) {
  const scale = kScales[options.scale];
  const channelValue = (offset, channel) => {
    let v;
    if (options.channels === 1) {
      v = 0.299 * rgba[offset] + 0.587 * rgba[offset + 1] +
          0.114 * rgba[offset + 2];
    } else {
      v = rgba[offset + channel];
    }
    if (options.invert && channel < 3) v = 255 - v;
    v = scale(v);
    return options.integer ? Math.round(v) : Number(v.toFixed(6));
  };
  const rows = [];
  for (let y = 0; y < height; ++y) {
    const row = [];
    for (let x = 0; x < width; ++x) {
      const offset = (y * width + x) * 4;
      if (options.layout === 'nhwc') {
        const pixel = [];
        for (let c = 0; c < options.channels; ++c) {
          pixel.push(channelValue(offset, c));
        }
        row.push(pixel);
      } else {
        row.push(channelValue(offset, 0));
      }
    }
    rows.push(row);
  }
  if (options.layout !== 'flat') return [rows];
  if (!options.columnMajor) return [rows.flat()];
  const columns = [];
  for (let x = 0; x < width; ++x) {
    for (let y = 0; y < height; ++y) columns.push(rows[y][x]);
  }
  return [columns];
}

// The file's bytes as TF Serving's {"b64": "..."} (for DT_STRING inputs
// that take encoded images or other files).
export async function fileAsBase64Json(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return {b64: btoa(binary)};
}
