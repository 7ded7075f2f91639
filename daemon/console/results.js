// Responses as tables: each Predict output with its values (a row per batch
// item) and, for outputs that look like class scores, the top classes;
// Classify results as (class, score) sorted by score; Regress values.
import {el} from './dom.js';

const kTopK = 5;
const kMaxColumns = 20;

function shapeOfValue(value) {
  const shape = [];
  for (let v = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  return shape;
}

function cellText(value) {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? String(value) : value.toPrecision(6);
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

// A [N, K] output of numbers with K >= 2 whose rows are probabilities, or
// whose name says scores/logits/probabilities.
function looksLikeClassScores(name, value, shape) {
  if (shape.length !== 2 || shape[1] < 2) return false;
  if (!value.every((row) => row.every((v) => typeof v === 'number'))) {
    return false;
  }
  if (/prob|softmax|logit|score|class/i.test(name)) return true;
  return value.every((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.every((v) => v >= 0 && v <= 1) && Math.abs(sum - 1) < 1e-3;
  });
}

function topClasses(row) {
  return row.map((score, index) => ({index, score}))
      .sort((a, b) => b.score - a.score)
      .slice(0, kTopK);
}

function topKTable(value) {
  return value.map((row, item) => {
    const top = topClasses(row);
    return el('div', {class: 'top-k'},
        el('p', {class: 'top-class', 'data-class': top[0].index},
           value.length > 1 ? `Item ${item}: ` : '',
           'class ', el('strong', {}, String(top[0].index)),
           ` (score ${cellText(top[0].score)})`),
        el('table', {},
           el('thead', {}, el('tr', {}, el('th', {}, 'Class'),
                              el('th', {}, 'Score'), el('th', {}, ''))),
           el('tbody', {}, top.map(({index, score}) => el('tr', {},
               el('td', {}, String(index)), el('td', {}, cellText(score)),
               el('td', {}, el('meter', {min: 0, max: 1, value: score})))))));
  });
}

function valuesTable(value, shape) {
  if (shape.length > 2) {
    const text = JSON.stringify(value);
    return el('pre', {class: 'values'},
              text.length > 4000 ? text.slice(0, 4000) + ' …' : text);
  }
  const rows = shape.length === 0 ? [[value]] :
      shape.length === 1 ? value.map((v) => [v]) : value;
  const columns = Math.min(shapeOfValue(rows)[1] ?? 1, kMaxColumns);
  const truncated = (shapeOfValue(rows)[1] ?? 1) > kMaxColumns;
  return el('table', {class: 'values'},
      el('thead', {}, el('tr', {}, el('th', {}, '#'),
          Array.from({length: columns}, (_, i) => el('th', {}, String(i))),
          truncated ? el('th', {}, '…') : null)),
      el('tbody', {}, rows.map((row, i) => el('tr', {}, el('td', {}, String(i)),
          row.slice(0, columns).map((v) => el('td', {}, cellText(v))),
          truncated ? el('td', {}, '…') : null))));
}

function outputBlock(name, value) {
  const shape = shapeOfValue(value);
  return el('div', {class: 'output', 'data-output': name},
      el('h4', {}, name, ' ', el('span', {class: 'hint'},
                                 `shape [${shape.join(', ')}]`)),
      looksLikeClassScores(name, value, shape) ? topKTable(value) : null,
      valuesTable(value, shape));
}

// Nodes for a 2xx response `json` of `method` ('predict', 'classify',
// 'regress'); `outputNames` are the signature's output aliases.
export function renderResult(method, json, outputNames) {
  if (method === 'predict') {
    const outputs = json.outputs;
    if (outputNames.length === 1 || typeof outputs !== 'object' ||
        Array.isArray(outputs)) {
      return [outputBlock(outputNames[0] ?? 'outputs', outputs)];
    }
    return Object.entries(outputs).map(([n, v]) => outputBlock(n, v));
  }
  if (method === 'classify') {
    return (json.results ?? []).map((classes, i) => {
      const sorted = [...classes].sort((a, b) => b[1] - a[1]);
      return el('div', {class: 'output'}, el('h4', {}, `Example ${i}`),
          sorted.length > 0 ?
              el('p', {class: 'top-class', 'data-class': sorted[0][0]},
                 'class ', el('strong', {}, String(sorted[0][0])),
                 ` (score ${cellText(sorted[0][1])})`) : null,
          el('table', {}, el('thead', {}, el('tr', {}, el('th', {}, 'Class'),
                                           el('th', {}, 'Score'))),
             el('tbody', {}, sorted.slice(0, kTopK).map(([label, score]) =>
                 el('tr', {}, el('td', {}, cellText(label)),
                    el('td', {}, cellText(score)))))));
    });
  }
  return [el('div', {class: 'output'}, el('h4', {}, 'Regression'),
             valuesTable(json.results ?? [], shapeOfValue(json.results ?? [])))];
}
