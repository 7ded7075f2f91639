// The exact curl and Python calls for a request the console just sent: same
// URL, same body bytes.

function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function curlCommand(url, bodyText) {
  return `curl -X POST -H 'Content-Type: application/json' \\\n` +
      `  -d ${shellQuote(bodyText)} \\\n  ${shellQuote(url)}`;
}

// A Python 3 script using only the standard library. The body sits in a
// raw triple-quoted string: JSON text never holds three quotes in a row and
// never ends in a backslash, so it needs no escaping.
export function pythonScript(url, bodyText) {
  return [
    'import json',
    'import urllib.request',
    '',
    `body = r"""${bodyText}"""`,
    'request = urllib.request.Request(',
    `    ${JSON.stringify(url)},`,
    '    data=body.encode("utf-8"),',
    '    headers={"Content-Type": "application/json"})',
    'with urllib.request.urlopen(request) as response:',
    '    print(json.dumps(json.load(response), indent=2))',
  ].join('\n');
}
