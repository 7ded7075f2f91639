// The REST API as the console calls it: same origin, JSON in and out.

// /v1/models/<name>[/versions/<version>]
export function modelPath(name, version) {
  let path = '/v1/models/' + encodeURIComponent(name);
  if (version) path += '/versions/' + encodeURIComponent(version);
  return path;
}

// The server writes non-finite floats as bare NaN, Infinity and -Infinity
// tokens (as TF Serving does), which JSON.parse rejects: quote them first.
// Only tokens outside strings are touched.
function parseServerJson(text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    const quoted = text.replace(
        /("(?:[^"\\]|\\.)*")|(-?Infinity|NaN)/g,
        (match, string, token) => string !== undefined ? string : `"${token}"`);
    return JSON.parse(quoted);
  }
}

// {status, ok, json, text} of one request. Network failures reject.
export async function callApi(method, path, bodyText) {
  const init = {method, headers: {}};
  if (bodyText !== undefined) {
    init.body = bodyText;
    init.headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try {
    json = parseServerJson(text);
  } catch (error) {
    json = null;
  }
  return {status: response.status, ok: response.ok, json, text};
}

// The error text of a failed call: the server's {"error": ...} when present.
export function errorText(result) {
  if (result.json && typeof result.json.error === 'string') {
    return `HTTP ${result.status}: ${result.json.error}`;
  }
  return `HTTP ${result.status}: ${result.text.slice(0, 500)}`;
}
