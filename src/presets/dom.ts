import type { Preset, ReferenceRule } from './types.js';

/**
 * Client-only browser APIs: globals and interfaces declared in TypeScript's lib.dom.d.ts.
 * lib.dom also declares APIs every stop has (fetch, URL, Request/Response, Headers,
 * console, setTimeout, crypto, TextEncoder, AbortController, Event…): those are
 * deliberately absent. `from: 'lib.dom'` keeps the same names declared elsewhere (the
 * `navigator` of @cloudflare/workers-types or of @types/node) out.
 *
 * Member names that TypeScript's other lib files also declare (`length`, `name`, `value`,
 * `add`…) are not matched on their own: too common to resolve in every file. The
 * distinctive part of the access reports the use instead (`el.classList` in
 * `el.classList.add(…)`), and the element itself came from a global listed here.
 */
const from = 'lib.dom';

const globals = [
  'document', 'window', 'navigator', 'location', 'history', 'screen', 'alert', 'confirm', 'prompt', 'print',
  'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback',
  'localStorage', 'sessionStorage', 'indexedDB', 'customElements', 'getComputedStyle', 'matchMedia',
  'getSelection', 'innerWidth', 'innerHeight', 'outerWidth', 'outerHeight', 'devicePixelRatio',
  'scrollX', 'scrollY', 'pageXOffset', 'pageYOffset', 'scrollTo', 'scrollBy', 'visualViewport',
];

/** Interfaces whose members are only usable in a browser page. */
const owners = [
  'Document', 'DocumentOrShadowRoot', 'Window', 'Element', 'HTMLElement', 'HTML*Element', 'SVG*', 'Node', 'ParentNode',
  'ChildNode', 'NonElementParentNode', 'InnerHTML', 'ElementCSSInlineStyle', 'GlobalEventHandlers', 'ShadowRoot',
  'Navigator', 'NavigatorID', 'NavigatorLanguage', 'NavigatorOnLine', 'Location', 'History', 'Screen',
  'CSSStyleDeclaration', 'DOMTokenList', 'NodeList', 'NodeListOf', 'HTMLCollection', 'HTMLCollectionBase',
  'HTMLCollectionOf', 'Selection', 'Range', 'Text', 'CharacterData', 'Attr', 'NamedNodeMap',
  'MutationObserver', 'IntersectionObserver', 'ResizeObserver', 'CanvasRenderingContext2D', 'DocumentFragment',
];

const references: ReferenceRule[] = [
  ...globals.map((name): ReferenceRule => ({ match: { module: null, owner: null, name, from } })),
  ...owners.map((owner): ReferenceRule => ({ match: { module: null, owner, name: '*', from } })),
];

export const domPreset: Preset = {
  name: 'dom',
  description: 'Browser-only APIs from lib.dom (document, window, navigator, location, history, alert, DOM elements…): client only',
  packages: [],
  store: null,
  capability: 'client-only',
  calls: [],
  references,
  handles: [],
};
