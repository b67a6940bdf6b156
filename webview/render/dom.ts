/**
 * The only way the page builds DOM: elements from constant tag names, text through
 * `textContent`, attributes through `setAttribute`. Registry strings never reach an HTML
 * parser, and attributes that run code or load things cannot be set from here.
 */

export interface ElementOptions {
  className?: string;
  text?: string;
  attrs?: Record<string, string>;
}

// Event handlers, inline styles and URL-bearing attributes must not carry data.
const FORBIDDEN_ATTRIBUTE = /^(?:on|style$|src$|srcset$|href$|xlink:href$|action$|formaction$)/i;

function build<T extends HTMLElement>(element: T, options: ElementOptions, children: Array<Node | undefined>): T {
  if (options.className) {
    element.className = options.className;
  }
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (FORBIDDEN_ATTRIBUTE.test(name)) {
      throw new Error(`Refusing to set the ${name} attribute.`);
    }
    element.setAttribute(name, value);
  }
  if (options.text !== undefined) {
    element.textContent = options.text;
  }
  for (const child of children) {
    if (child) {
      element.appendChild(child);
    }
  }
  return element;
}

/** A standard element. */
export function h<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  options: ElementOptions = {},
  ...children: Array<Node | undefined>
): HTMLElementTagNameMap[K] {
  return build(doc.createElement(tag), options, children);
}

/** A toolkit element (`vscode-button`, …). */
export function custom(doc: Document, tag: `vscode-${string}`, options: ElementOptions = {}, ...children: Array<Node | undefined>): HTMLElement {
  return build(doc.createElement(tag), options, children);
}

/** Sets text only when it changed, so screen readers and selection are not disturbed. */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) {
    element.textContent = text;
  }
}

export function setAttr(element: Element, name: string, value: string | undefined): void {
  if (FORBIDDEN_ATTRIBUTE.test(name)) {
    throw new Error(`Refusing to set the ${name} attribute.`);
  }
  if (value === undefined) {
    element.removeAttribute(name);
  } else if (element.getAttribute(name) !== value) {
    element.setAttribute(name, value);
  }
}

/** Shows or hides; when hiding what has focus, hands focus to `fallback` instead of the body. */
export function setShown(element: HTMLElement, shown: boolean, fallback?: HTMLElement): void {
  if (shown === !element.hidden) {
    return;
  }
  if (!shown && fallback && element.contains(element.ownerDocument.activeElement)) {
    fallback.focus();
  }
  element.hidden = !shown;
}

export function setDisabled(element: HTMLElement, disabled: boolean): void {
  if (disabled) {
    element.setAttribute('disabled', '');
  } else {
    element.removeAttribute('disabled');
  }
}
