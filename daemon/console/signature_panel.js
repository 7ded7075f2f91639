// One signature of a model version: its inputs and outputs, a form
// generated from them, the result of sending it, and the curl and Python
// calls for exactly what was sent.
import {callApi, errorText, modelPath} from './api.js';
import {copyableBlock, el} from './dom.js';
import {exampleEditor} from './example_editor.js';
import {inputEditor} from './input_editor.js';
import {toJsonText} from './json_text.js';
import {renderResult} from './results.js';
import {curlCommand, pythonScript} from './snippets.js';
import {shapeOf, shapeText} from './tensor_info.js';

const kMethods = {
  'tensorflow/serving/predict': 'predict',
  'tensorflow/serving/classify': 'classify',
  'tensorflow/serving/regress': 'regress',
};

function tensorTable(title, tensors) {
  return el('table', {class: 'tensors'},
      el('thead', {}, el('tr', {}, el('th', {}, title), el('th', {}, 'dtype'),
                         el('th', {}, 'shape'), el('th', {}, 'tensor'))),
      el('tbody', {}, Object.entries(tensors).map(([alias, info]) =>
          el('tr', {}, el('td', {}, alias), el('td', {}, info.dtype ?? ''),
             el('td', {}, shapeText(shapeOf(info))),
             el('td', {}, el('code', {}, info.name ?? ''))))));
}

// Classify and Regress read serialized tf.Examples; a signature whose
// method is predict is sent as tensors.
function requestEditor(method, signature) {
  if (method !== 'predict') return exampleEditor();
  const editors = Object.entries(signature.inputs || {})
      .map(([alias, info]) => [alias, inputEditor(alias, info)]);
  return {
    node: el('div', {class: 'inputs'}, editors.map(([, e]) => e.node)),
    async value() {
      const inputs = {};
      for (const [alias, editor] of editors) inputs[alias] = await editor.value();
      return {inputs};
    },
  };
}

// A <section> for signature `key` of model `name` at `version` ("" for the
// model's default version).
export function signaturePanel(name, version, key, signature) {
  const method = kMethods[signature.method_name] ?? 'predict';
  const editor = requestEditor(method, signature);
  const send = el('button', {type: 'button', class: 'send'}, `Send ${method}`);
  const result = el('div', {class: 'result', 'aria-live': 'polite'});
  const snippets = el('div', {class: 'snippets'});
  const outputNames = Object.keys(signature.outputs || {});
  send.addEventListener('click', async () => {
    send.disabled = true;
    result.replaceChildren(el('p', {class: 'hint'}, 'Running…'));
    try {
      const body = Object.assign({signature_name: key}, await editor.value());
      const bodyText = toJsonText(body);
      const path = `${modelPath(name, version)}:${method}`;
      const url = new URL(path, window.location.origin).href;
      snippets.replaceChildren(copyableBlock('curl', curlCommand(url, bodyText)),
                               copyableBlock('Python', pythonScript(url, bodyText)));
      const started = performance.now();
      const response = await callApi('POST', path, bodyText);
      const millis = Math.round(performance.now() - started);
      if (!response.ok || response.json === null) {
        result.replaceChildren(el('p', {class: 'error'}, errorText(response)));
      } else {
        result.replaceChildren(
            el('p', {class: 'hint'}, `HTTP ${response.status} in ${millis} ms`),
            ...renderResult(method, response.json, outputNames));
      }
    } catch (error) {
      result.replaceChildren(el('p', {class: 'error'}, error.message));
    } finally {
      send.disabled = false;
    }
  });
  return el('section', {class: 'signature', 'data-signature': key},
      el('h3', {}, key, ' ', el('span', {class: 'hint'}, signature.method_name ?? '')),
      tensorTable('input', signature.inputs || {}),
      tensorTable('output', signature.outputs || {}),
      el('div', {class: 'request'}, editor.node),
      el('p', {}, send), result, snippets);
}
