import { payloadOf, type ClientDomImport, type DomElementResource, type DomErrorPayload } from './imports.js';
import { domException } from './web-storage.js';

/**
 * The browser's `document` inside the client component, over `stopline:line/client-dom`:
 * exactly the subset codegen lets into a component (codegen/outline/client-apis.ts checks
 * the program against src/presets/calls/dom.ts; anything else is SL5020/SL5021 before a
 * component is built):
 *
 *   document.querySelector(selectors)   → an element or null (the first match, document order)
 *   document.getElementById(id)         → an element or null
 *   element.value                       → a string, or undefined for an element without one
 *   element.textContent                 → a string
 *
 * The element is live: each read asks the page again, as a browser's element answers with
 * its current state. Both properties are getters without setters: an assignment throws a
 * TypeError (module code is strict), never a write the page does not see. An invalid
 * selector throws a DOMException named SyntaxError, as browsers do; a selector or a `value`
 * the host cannot answer (a simulated page's subset, a number-valued `value`) throws a
 * TypeError, never a silently wrong null. Both carry the host's message.
 *
 * Plain JavaScript over the import (given as an argument), so it runs in StarlingMonkey
 * and against fakes in Node tests.
 */
export class LoweredElement {
  readonly #element: DomElementResource;

  constructor(element: DomElementResource) {
    this.#element = element;
  }

  get value(): string | undefined {
    try {
      return this.#element.value();
    } catch (error) {
      throw domError(error);
    }
  }

  get textContent(): string {
    return this.#element.textContent();
  }
}

export class LoweredDocument {
  readonly #dom: ClientDomImport;

  constructor(dom: ClientDomImport) {
    this.#dom = dom;
  }

  querySelector(selectors: string): LoweredElement | null {
    let found: DomElementResource | undefined;
    try {
      found = this.#dom.querySelector(String(selectors));
    } catch (error) {
      throw domError(error);
    }
    return found === undefined ? null : new LoweredElement(found);
  }

  getElementById(id: string): LoweredElement | null {
    const found = this.#dom.getElementById(String(id));
    return found === undefined ? null : new LoweredElement(found);
  }
}

/** A `dom-error` as the exception a page throws: its message is the host's. */
function domError(error: unknown): Error {
  const payload = payloadOf(error) as DomErrorPayload | undefined;
  if (payload?.tag === 'syntax') return domException(payload.val, 'SyntaxError');
  if (payload?.tag === 'unsupported') return new TypeError(payload.val);
  return error instanceof Error ? error : new Error(String(error));
}

export function createDocument(dom: ClientDomImport): LoweredDocument {
  return new LoweredDocument(dom);
}
