/// <reference lib="dom" />

type Child = Node | string;

/** Creates an element; attributes only (never innerHTML), so event text cannot inject markup. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    if (name === 'class') el.className = value;
    else el.setAttribute(name, value);
  }
  el.append(...children);
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el as T;
}

/**
 * Keeps a scroll container at its bottom as content is added, unless the user scrolled up.
 * Tracks that on scroll and scrolls once per frame, so appends never force a layout.
 */
export class BottomFollower {
  private stuck = true;
  private frame = 0;

  constructor(private readonly el: HTMLElement) {
    el.addEventListener('scroll', () => (this.stuck = el.scrollHeight - el.scrollTop - el.clientHeight < 8), { passive: true });
  }

  grew(force = false): void {
    if (force) this.stuck = true;
    if (!this.stuck || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.el.scrollTop = this.el.scrollHeight;
    });
  }
}

export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element, attributes only, like `h`. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number | undefined> = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, String(value));
  el.append(...children);
  return el;
}
