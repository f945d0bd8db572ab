import { DOCUMENT_METHODS, ELEMENT_PROPERTIES } from '../../presets/calls/dom.js';
import { PageQueryError, type PageElement, type SimulatedPage } from '../page/page.js';

/**
 * The browser's `document` for the original program at the client, over a simulated page
 * (src/runtime/page/page.ts): the same subset, and the same answers and errors, as the
 * client component's lowering on `stopline:line/client-dom` (codegen/lower/dom.ts):
 * `querySelector` and `getElementById` give an element or null, whose `value` and
 * `textContent` are read-only getters. Everything else of `document` or of an element
 * throws a TypeError naming the subset: the original program never runs on a DOM that
 * silently answers `undefined` where a browser would not.
 */

const shimError = (error: unknown): Error => {
  if (error instanceof PageQueryError) {
    return error.kind === 'syntax' ? new DOMException(error.message, 'SyntaxError') : new TypeError(error.message);
  }
  return error instanceof Error ? error : new Error(String(error));
};

function strict<T extends object>(target: T, what: string, allowed: readonly string[]): T {
  return new Proxy(target, {
    get(t, key) {
      if (typeof key === 'symbol' || allowed.includes(key)) return Reflect.get(t, key) as unknown;
      // `then` is probed by `await` and Promise resolution: an element is not a thenable.
      if (key === 'then') return undefined;
      throw new TypeError(`stopline's simulated page supports ${what}.${allowed.join(`, ${what}.`)} only, not ${what}.${key}`);
    },
    set(_t, key) {
      throw new TypeError(`stopline's simulated page is read-only: cannot set ${what}.${String(key)}`);
    },
  });
}

class ShimElement {
  readonly #element: PageElement;

  constructor(element: PageElement) {
    this.#element = element;
  }

  get value(): string | undefined {
    try {
      return this.#element.value();
    } catch (error) {
      throw shimError(error);
    }
  }

  get textContent(): string {
    return this.#element.textContent();
  }
}

class ShimDocument {
  readonly #page: SimulatedPage;

  constructor(page: SimulatedPage) {
    this.#page = page;
  }

  querySelector(selectors: string): ShimElement | null {
    let found: PageElement | null;
    try {
      found = this.#page.querySelector(String(selectors));
    } catch (error) {
      throw shimError(error);
    }
    return found === null ? null : strict(new ShimElement(found), 'element', ELEMENT_PROPERTIES);
  }

  getElementById(id: string): ShimElement | null {
    const found = this.#page.getElementById(String(id));
    return found === null ? null : strict(new ShimElement(found), 'element', ELEMENT_PROPERTIES);
  }
}

export function createDocument(page: SimulatedPage): object {
  const doc = new ShimDocument(page);
  // Methods are bound: the Proxy's receiver is not the instance holding the private field.
  const target = { querySelector: doc.querySelector.bind(doc), getElementById: doc.getElementById.bind(doc) };
  return strict(target, 'document', DOCUMENT_METHODS);
}
