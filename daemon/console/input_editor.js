// The editor of one Predict input: JSON text for any tensor, an image
// upload for image-shaped numeric inputs (image_input.js), a file upload as
// {"b64": ...} for string inputs. `value()` resolves to the input's JSON
// value or rejects with a message naming the input.
import {el} from './dom.js';
import {decodeAndResize, fileAsBase64Json, kScales, pixelsToTensor} from './image_input.js';
import {imageLayout, isInteger, shapeOf, shapeText, templateValue} from './tensor_info.js';

function jsonEditor(alias, info) {
  const template = templateValue(info.dtype, shapeOf(info));
  const textarea = el('textarea', {
    rows: 3,
    spellcheck: 'false',
    'data-input': alias,
    placeholder: 'JSON value of shape ' + shapeText(shapeOf(info)),
  });
  if (template !== undefined) textarea.value = JSON.stringify(template);
  return {
    node: el('div', {class: 'mode-json'}, textarea),
    async value() {
      try {
        return JSON.parse(textarea.value);
      } catch (error) {
        throw new Error(`input "${alias}": not valid JSON (${error.message})`);
      }
    },
  };
}

function numberField(label, value, name) {
  return el('label', {}, label, ' ',
            el('input', {type: 'number', min: 1, max: 4096, value, name}));
}

function imageEditor(alias, info, layout) {
  const file = el('input', {type: 'file', accept: 'image/*', name: 'image'});
  const scale = el('select', {name: 'scale'},
                   Object.keys(kScales).map((s) => el('option', {value: s}, s)));
  scale.value = isInteger(info.dtype) ? '0..255' : '0..1';
  const invert = el('input', {type: 'checkbox', name: 'invert'});
  const height = numberField('H', layout.height || 224, 'height');
  const width = numberField('W', layout.width || 224, 'width');
  const fixed = layout.height > 0 && layout.width > 0;
  for (const field of [height, width]) {
    field.querySelector('input').disabled = fixed;
  }
  const order = el('select', {name: 'order'},
                   el('option', {value: 'rows'}, 'row by row (C, NumPy)'),
                   el('option', {value: 'columns'}, 'column by column (R, Fortran)'));
  const preview = el('div', {class: 'preview-box'});
  const note = layout.channels === 1 ? 'grayscale' : `${layout.channels} channels`;
  const flat = layout.layout === 'flat' ? ', flattened' : '';
  const node = el('div', {class: 'mode-image'},
      el('p', {}, file),
      el('p', {}, height, ' ', width, ' ',
         el('label', {}, 'scale ', scale), ' ',
         el('label', {}, invert, ' invert (white on black)'),
         layout.layout === 'flat' ? [' ', el('label', {}, 'flatten ', order)] : null),
      el('p', {class: 'hint'},
         `Resized to H x W, ${note}${flat}, a batch of one.`),
      preview);
  let pending = null;
  const render = async () => {
    if (file.files.length === 0) return null;
    const h = Number(height.querySelector('input').value);
    const w = Number(width.querySelector('input').value);
    const {canvas, rgba} = await decodeAndResize(file.files[0], w, h);
    preview.replaceChildren(canvas);
    return pixelsToTensor(rgba, w, h, {
      layout: layout.layout,
      channels: layout.channels,
      scale: scale.value,
      invert: invert.checked,
      integer: isInteger(info.dtype),
      columnMajor: order.value === 'columns',
    });
  };
  const refresh = () => {
    pending = render();
    pending.catch(() => {});  // reported by value()
  };
  for (const control of node.querySelectorAll('input, select')) {
    control.addEventListener('change', refresh);
  }
  return {
    node,
    async value() {
      if (file.files.length === 0) {
        throw new Error(`input "${alias}": choose an image file`);
      }
      try {
        return await (pending ?? render());
      } catch (error) {
        throw new Error(`input "${alias}": ${error.message}`);
      }
    },
  };
}

function fileEditor(alias, info) {
  const file = el('input', {type: 'file', name: 'file'});
  const batched = (shapeOf(info) || []).length === 1;
  return {
    node: el('div', {class: 'mode-file'}, file,
             el('p', {class: 'hint'},
                'Sent as {"b64": ...}' + (batched ? ' in a batch of one.' : '.'))),
    async value() {
      if (file.files.length === 0) {
        throw new Error(`input "${alias}": choose a file`);
      }
      const bytes = await fileAsBase64Json(file.files[0]);
      return batched ? [bytes] : bytes;
    },
  };
}

// {node, value()} for input `alias` with TensorInfo `info`.
export function inputEditor(alias, info) {
  const shape = shapeOf(info);
  const editors = {json: jsonEditor(alias, info)};
  const layout = imageLayout(info.dtype, shape);
  if (layout) editors.image = imageEditor(alias, info, layout);
  if (info.dtype === 'DT_STRING') editors.file = fileEditor(alias, info);
  const labels = {json: 'JSON', image: 'image upload', file: 'file (base64)'};
  const mode = el('select', {class: 'input-mode', 'data-input': alias},
                  Object.keys(editors).map(
                      (m) => el('option', {value: m}, labels[m])));
  mode.value = layout && layout.layout === 'nhwc' ? 'image' : 'json';
  const body = el('div', {});
  const show = () => body.replaceChildren(editors[mode.value].node);
  mode.addEventListener('change', show);
  show();
  const header = el('div', {class: 'input-header'},
      el('strong', {}, alias), ` ${info.dtype} ${shapeText(shape)} `,
      Object.keys(editors).length > 1 ? mode : null);
  return {
    node: el('div', {class: 'input', 'data-input': alias}, header, body),
    value: () => editors[mode.value].value(),
  };
}
