// Small DOM helpers. Text always goes in through textContent, never
// innerHTML, so model names, tensor names and server errors cannot inject
// markup.

// el('td', {class: 'num'}, 'text', childNode, ...): a new element. Attribute
// values of `false`/null/undefined are left out; `true` sets an empty one.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// Removes every child of `node`, then appends `children`.
export function replaceChildren(node, ...children) {
  node.replaceChildren(
      ...children.flat().filter((c) => c !== null && c !== undefined));
}

// A <pre> with a Copy button: for the curl and Python snippets.
export function copyableBlock(title, text) {
  const pre = el('pre', {class: 'snippet'}, text);
  const button = el('button', {type: 'button', class: 'copy'}, 'Copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch (error) {
      // No clipboard outside secure contexts: select the text instead.
      const range = document.createRange();
      range.selectNodeContents(pre);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      button.textContent = 'Selected: press Ctrl+C';
    }
  });
  return el('div', {class: 'snippet-box'}, el('h4', {}, title, ' ', button),
            pre);
}
