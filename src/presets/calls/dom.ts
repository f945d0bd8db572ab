/**
 * The DOM subset stopline carries into a client component, in one place: codegen checks a
 * program against it (codegen/outline/client-apis.ts: SL5020/SL5021), the guest lowering
 * implements it over `stopline:line/client-dom` (codegen/lower/dom.ts), the Node-side shim
 * gives the original program the same (src/runtime/shims/dom.ts), and the simulated page
 * both run on answers with the same errors (src/runtime/page/page.ts).
 *
 *   document.querySelector(selectors) / document.getElementById(id)  → Element | null
 *   element.value (read)  → string, or undefined where the element has none
 *   element.textContent (read) → string
 *
 * Plain web JavaScript: it runs in Node and in StarlingMonkey.
 */

/** The methods of `document` a component may call. */
export const DOCUMENT_METHODS: readonly string[] = ['querySelector', 'getElementById'];

/** The properties of an element found through them that a component may read. */
export const ELEMENT_PROPERTIES: readonly string[] = ['value', 'textContent'];

/**
 * HTML elements whose `value` is a string (HTMLInputElement, HTMLTextAreaElement,
 * HTMLSelectElement, HTMLButtonElement, HTMLOptionElement, HTMLOutputElement,
 * HTMLDataElement, HTMLParamElement). `<li>`, `<meter>` and `<progress>` have a number
 * there, which `client-dom` does not carry; other elements have no `value` at all.
 */
export const STRING_VALUE_TAGS: readonly string[] = ['input', 'textarea', 'select', 'button', 'option', 'output', 'data', 'param'];

/** Elements whose `value` is a number. */
export const NUMBER_VALUE_TAGS: readonly string[] = ['li', 'meter', 'progress'];

/** The message of the SyntaxError a browser throws for a selector that does not parse (Chromium's wording, checked in Chromium 150). */
export function invalidSelectorMessage(method: string, selectors: string): string {
  const detail = selectors.trim() === '' ? 'The provided selector is empty.' : `'${selectors}' is not a valid selector.`;
  return `Failed to execute '${method}' on 'Document': ${detail}`;
}
