// Request bodies as JSON text. JSON.stringify writes 2.0 as "2", which the
// REST API reads as an int64 tf.Example feature; a Float wrapper keeps the
// decimal point so a float feature stays a float.

export class Float {
  constructor(value) {
    this.value = value;
  }
  toJsonText() {
    if (!Number.isFinite(this.value)) return JSON.stringify(String(this.value));
    const text = String(this.value);
    return /[.eE]/.test(text) ? text : text + '.0';
  }
}

// Compact JSON text of `value` (objects, arrays, strings, numbers,
// booleans, null, Float).
export function toJsonText(value) {
  if (value instanceof Float) return value.toJsonText();
  if (Array.isArray(value)) return '[' + value.map(toJsonText).join(',') + ']';
  if (value !== null && typeof value === 'object') {
    return '{' +
        Object.entries(value)
            .map(([k, v]) => JSON.stringify(k) + ':' + toJsonText(v))
            .join(',') +
        '}';
  }
  return JSON.stringify(value);
}
