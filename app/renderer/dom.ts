/// <reference lib="dom" />

/**
 * A few lines of DOM building instead of a framework: `h('button', { type: 'button', on: { click } },
 * 'Save')`. Text is always set as text (never HTML), so names and messages from settings cannot inject
 * markup; no inline styles either (the page's CSP forbids them).
 */

export type Handlers = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
type AttributeValue = string | number | boolean | null | undefined;
export type Props = { on?: Handlers } & { [attribute: string]: AttributeValue | Handlers };
export type Child = Node | string | null | undefined | false;

/** Creates an element; `true` attributes are set empty, `false`/null/undefined ones left out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'on') continue;
    if (value === false || value === null || value === undefined) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    element.addEventListener(type, listener as EventListener);
  }
  append(element, children);
  return element;
}

function append(parent: Element, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child);
  }
}

/** What identifies an element across re-renders: its test id, else its id. */
function focusKey(element: Element): string | null {
  return element.getAttribute('data-testid') ?? (element.id || null);
}

/**
 * Replaces `container`'s children and, if focus was inside it, moves focus to the new element with
 * the same key: re-rendering a list never throws a keyboard user back to the top of the page.
 */
export function replaceContent(container: Element, ...children: (Child | Child[])[]): void {
  const active = document.activeElement;
  const key = active && container.contains(active) ? focusKey(active) : null;
  container.replaceChildren();
  append(container, children);
  if (key === null) return;
  const again = [...container.querySelectorAll<HTMLElement>('[data-testid], [id]')].find(
    (element) => focusKey(element) === key,
  );
  again?.focus();
}

/** A unique id for label/description wiring. */
let nextId = 0;
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
