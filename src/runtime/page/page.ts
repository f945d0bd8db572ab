import { z } from 'zod';
import { invalidSelectorMessage, NUMBER_VALUE_TAGS, STRING_VALUE_TAGS } from '../../presets/calls/dom.js';

/**
 * A simulated page: the DOM state one client has while a request runs, for the original
 * program's `document` (src/runtime/shims/dom.ts) and the client component's
 * `stopline:line/client-dom` (src/runtime/line/client-dom.ts), so both see the same page.
 * A request corpus case gives it as `dom`, the elements in document order:
 *
 *   "dom": [ { "tag": "textarea", "id": "upload-caption", "value": "  Sunset  " } ]
 *
 * `tag` is a lower-case HTML tag name; `id` optional; `value` only on the elements whose
 * `value` is a string (src/presets/calls/dom.ts STRING_VALUE_TAGS; default ''), absent on
 * the others (their `value` is undefined, or a number the client-dom cannot carry, which
 * throws); `text` the `textContent` (default '').
 *
 * Selectors: what the page answers is the compound of a type selector and an id selector —
 * `tag`, `#id`, `tag#id` (tag matched without case, id with). An empty selector or a lone
 * `#` throws the SyntaxError a browser throws; any other selector throws an `unsupported`
 * PageQueryError naming the subset, never a wrong answer. A real browser host
 * (src/browser/host.js) answers every selector with the page's own DOM.
 */

export interface PageElementSpec {
  readonly tag: string;
  readonly id?: string;
  readonly value?: string;
  readonly text?: string;
}

export const pageSchema = z
  .array(
    z.strictObject({
      tag: z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case HTML tag name'),
      id: z.string().min(1).optional(),
      value: z.string().optional(),
      text: z.string().optional(),
    }),
  )
  .superRefine((elements, ctx) => {
    elements.forEach((e, i) => {
      if (e.value !== undefined && !STRING_VALUE_TAGS.includes(e.tag)) {
        ctx.addIssue({ code: 'custom', path: [i, 'value'], message: `a <${e.tag}> has no string value (only ${STRING_VALUE_TAGS.join(', ')})` });
      }
    });
  });

export type PageQueryErrorKind = 'syntax' | 'unsupported';

/** A query the page cannot answer: `syntax` is the browser's SyntaxError, `unsupported` the simulation's limit. */
export class PageQueryError extends Error {
  override readonly name = 'PageQueryError';
  constructor(
    readonly kind: PageQueryErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export class PageElement {
  readonly #spec: PageElementSpec;

  constructor(spec: PageElementSpec) {
    this.#spec = spec;
  }

  get tag(): string {
    return this.#spec.tag;
  }

  get id(): string {
    return this.#spec.id ?? '';
  }

  /** `element.value`: a string for form controls, undefined for elements without one; throws for a number-valued one. */
  value(): string | undefined {
    if (STRING_VALUE_TAGS.includes(this.#spec.tag)) return this.#spec.value ?? '';
    if (NUMBER_VALUE_TAGS.includes(this.#spec.tag)) throw new PageQueryError('unsupported', `the value of a <${this.#spec.tag}> is a number; stopline's client-dom carries string values only`);
    return undefined;
  }

  textContent(): string {
    return this.#spec.text ?? '';
  }
}

const SELECTOR = /^\s*([A-Za-z][A-Za-z0-9-]*)?(?:#(-?[A-Za-z_\u00A0-\uFFFF][A-Za-z0-9_\u00A0-\uFFFF-]*))?\s*$/;

export class SimulatedPage {
  readonly elements: readonly PageElement[];

  constructor(elements: readonly PageElementSpec[] = []) {
    this.elements = elements.map((e) => new PageElement(e));
  }

  querySelector(selectors: string): PageElement | null {
    const text = String(selectors);
    const match = SELECTOR.exec(text);
    if (text.trim() === '' || text.trim() === '#') throw new PageQueryError('syntax', invalidSelectorMessage('querySelector', text));
    if (!match || (match[1] === undefined && match[2] === undefined)) {
      throw new PageQueryError('unsupported', `stopline's simulated page answers the selectors tag, #id and tag#id only, not '${text}'`);
    }
    const [, tag, id] = match;
    return this.elements.find((e) => (tag === undefined || e.tag === tag.toLowerCase()) && (id === undefined || e.id === id)) ?? null;
  }

  getElementById(id: string): PageElement | null {
    const text = String(id);
    return this.elements.find((e) => e.id === text) ?? null;
  }
}
