// The editor of Classify/Regress input: tf.Example features typed in as
// rows (name, type, comma-separated values), one block per example, plus
// optional context features merged into every example. The REST API takes
// them as {"examples": [{feature: value(s)}], "context": {...}}: floats keep
// a decimal point (json_text.js Float), bytes that are not text go as
// {"b64": ...}.
import {el} from './dom.js';
import {Float} from './json_text.js';

const kTypes = {
  float: 'float list',
  int64: 'int64 list',
  bytes: 'bytes list (text)',
};

function parseValues(name, type, text) {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (type === 'bytes') return parts;
  return parts.map((part) => {
    const number = Number(part);
    if (!Number.isFinite(number) ||
        (type === 'int64' && !Number.isInteger(number))) {
      throw new Error(`feature "${name}": "${part}" is not a ${type}`);
    }
    return type === 'float' ? new Float(number) : number;
  });
}

function featureRow(onRemove) {
  const name = el('input', {type: 'text', placeholder: 'feature', name: 'feature'});
  const type = el('select', {name: 'type'},
                  Object.entries(kTypes).map(
                      ([v, label]) => el('option', {value: v}, label)));
  const values = el('input', {type: 'text', placeholder: 'values, comma-separated', name: 'values'});
  const remove = el('button', {type: 'button'}, 'Remove');
  const row = el('div', {class: 'feature'}, name, type, values, remove);
  remove.addEventListener('click', () => onRemove(row));
  return {
    row,
    read() {
      const key = name.value.trim();
      if (key === '') return null;
      const list = parseValues(key, type.value, values.value);
      return [key, list.length === 1 ? list[0] : list];
    },
  };
}

function featureList(title) {
  const rows = [];
  const container = el('div', {class: 'features'});
  const add = () => {
    const row = featureRow((node) => {
      rows.splice(rows.findIndex((r) => r.row === node), 1);
      node.remove();
    });
    rows.push(row);
    container.append(row.row);
  };
  const addButton = el('button', {type: 'button'}, 'Add feature');
  addButton.addEventListener('click', add);
  return {
    node: el('fieldset', {}, el('legend', {}, title), container, addButton),
    add,
    read() {
      const features = {};
      for (const row of rows) {
        const entry = row.read();
        if (entry) features[entry[0]] = entry[1];
      }
      return features;
    },
  };
}

// {node, value()}: value() is {"examples": [...], "context"?: {...}}.
export function exampleEditor() {
  const examples = [];
  const list = el('div', {class: 'examples'});
  const context = featureList('Context (merged into every example)');
  const addExample = () => {
    const features = featureList(`Example ${examples.length + 1}`);
    features.add();
    examples.push(features);
    list.append(features.node);
  };
  addExample();
  const addButton = el('button', {type: 'button'}, 'Add example');
  addButton.addEventListener('click', addExample);
  return {
    node: el('div', {class: 'example-editor'}, list, addButton, context.node),
    async value() {
      const body = {examples: examples.map((e) => e.read())};
      const shared = context.read();
      if (Object.keys(shared).length > 0) body.context = shared;
      return body;
    },
  };
}
