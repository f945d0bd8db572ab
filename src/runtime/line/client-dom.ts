import { PageQueryError, type PageElement, type SimulatedPage } from '../page/page.js';

/**
 * The host side of `stopline:line/client-dom` (codegen/wit/line.wit) on a simulated page
 * (src/runtime/page/page.ts): the client component's `document` sees the page the
 * original program's `document` shim sees (src/runtime/shims/dom.ts). In the import
 * object's shape (jco, instantiation mode; keys with and without the version, as host.ts
 * gives its interfaces), for `openLine`'s `extraImports`.
 *
 * `element` is a resource: the host makes `DomElement` instances and the guest holds
 * handles to them; each `value()`/`textContent()` reads the page then. Errors go back as
 * the WIT `err` (an object with an own `payload`); nothing else is ever thrown (a host
 * function that throws anything else traps the instance for good).
 */

class DomErr extends Error {
  readonly payload: { tag: 'syntax' | 'unsupported'; val: string };
  constructor(tag: 'syntax' | 'unsupported', val: string) {
    super(val);
    this.name = 'DomErr';
    this.payload = { tag, val };
  }
}

const toErr = (error: unknown): DomErr =>
  error instanceof PageQueryError ? new DomErr(error.kind, error.message) : new DomErr('unsupported', error instanceof Error ? error.message : String(error));

export class DomElement {
  readonly #element: PageElement;

  /** @internal made by the host only */
  constructor(element: PageElement) {
    this.#element = element;
  }

  value(): string | undefined {
    try {
      return this.#element.value();
    } catch (error) {
      throw toErr(error);
    }
  }

  textContent(): string {
    try {
      return this.#element.textContent();
    } catch {
      return '';
    }
  }
}

export function clientDomImports(page: SimulatedPage): Record<string, Record<string, unknown>> {
  const dom = {
    Element: DomElement,
    querySelector(selectors: string): DomElement | undefined {
      let found: PageElement | null;
      try {
        found = page.querySelector(selectors);
      } catch (error) {
        throw toErr(error);
      }
      return found === null ? undefined : new DomElement(found);
    },
    getElementById(id: string): DomElement | undefined {
      try {
        const found = page.getElementById(id);
        return found === null ? undefined : new DomElement(found);
      } catch {
        return undefined;
      }
    },
  };
  return { 'stopline:line/client-dom': dom, 'stopline:line/client-dom@0.1.0': dom };
}
