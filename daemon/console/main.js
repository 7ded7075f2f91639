// The console page: the models the server serves (GET /v1/models), and for
// the chosen model and version its signatures (GET .../metadata), each with
// a form (signature_panel.js). The chosen model is kept in the URL's
// fragment (#model=<name>) so a link opens it.
import {callApi, errorText, modelPath} from './api.js';
import {el} from './dom.js';
import {signaturePanel} from './signature_panel.js';

const $ = (id) => document.getElementById(id);

let selected = '';

function stateBadge(version) {
  const state = version.state ?? 'UNKNOWN';
  const error = version.status && version.status.error_code !== 'OK' ?
      version.status.error_message : '';
  return el('span', {class: `state state-${state.toLowerCase()}`, title: error},
            `${version.version}: ${state}`);
}

async function loadModels() {
  const status = $('models-status');
  const table = $('models-table');
  status.textContent = 'Loading…';
  const response = await callApi('GET', '/v1/models');
  if (!response.ok || !response.json) {
    status.textContent = errorText(response);
    table.hidden = true;
    return;
  }
  const models = response.json.models || [];
  status.textContent = models.length === 0 ?
      'No models are configured.' :
      `${models.length} model${models.length === 1 ? '' : 's'}. ` +
          'Pick one to try it.';
  table.tBodies[0].replaceChildren(...models.map((model) => {
    const open = el('button', {type: 'button', class: 'model-link',
                               'data-model': model.name}, model.name);
    open.addEventListener('click', () => selectModel(model.name, model));
    const labels = Object.entries(model.labels || {})
        .map(([label, version]) => `${label} → ${version}`).join(', ');
    return el('tr', {}, el('td', {}, open),
              el('td', {}, (model.model_version_status || []).map(stateBadge)),
              el('td', {}, labels));
  }));
  table.hidden = false;
  if (selected) return;  // a refresh keeps the open model and its forms
  const wanted = new URLSearchParams(window.location.hash.slice(1)).get('model');
  const initial = models.find((m) => m.name === wanted);
  if (initial) selectModel(initial.name, initial);
}

async function showSignatures(name, version) {
  const status = $('model-status');
  const container = $('signatures');
  status.textContent = 'Loading signatures…';
  container.replaceChildren();
  const response = await callApi('GET', `${modelPath(name, version)}/metadata`);
  if (name !== selected) return;  // another model was picked meanwhile
  if (!response.ok || !response.json) {
    status.textContent = errorText(response);
    return;
  }
  const spec = response.json.model_spec || {};
  const defs = (((response.json.metadata || {}).signature_def || {})
      .signature_def) || {};
  const keys = Object.keys(defs).filter((k) => !k.startsWith('__')).sort();
  status.textContent = `Version ${spec.version ?? '?'}: ${keys.length} ` +
      `signature${keys.length === 1 ? '' : 's'}.`;
  container.replaceChildren(
      ...keys.map((key) => signaturePanel(name, version, key, defs[key])));
}

function selectModel(name, model) {
  selected = name;
  history.replaceState(null, '', '#model=' + encodeURIComponent(name));
  $('model-section').hidden = false;
  $('model-title').textContent = name;
  const select = $('version-select');
  const versions = (model.model_version_status || [])
      .filter((v) => v.state === 'AVAILABLE').map((v) => v.version);
  select.replaceChildren(el('option', {value: ''}, 'default (latest)'),
      ...versions.map((v) => el('option', {value: v}, v)));
  select.onchange = () => showSignatures(name, select.value);
  showSignatures(name, '');
}

window.addEventListener('DOMContentLoaded', () => {
  $('refresh-models').addEventListener('click', () => {
    loadModels().catch((e) => ($('models-status').textContent = e.message));
  });
  loadModels().catch((e) => ($('models-status').textContent = e.message));
});
