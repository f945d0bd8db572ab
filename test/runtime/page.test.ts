import { describe, expect, it } from 'vitest';
import { createDocument as lowerDocument } from '../../codegen/lower/dom.js';
import type { ClientDomImport } from '../../codegen/lower/imports.js';
import { clientDomImports } from '../../src/runtime/line/client-dom.js';
import { pageSchema, SimulatedPage } from '../../src/runtime/page/page.js';
import { createDocument as shimDocument } from '../../src/runtime/shims/dom.js';

/**
 * The simulated page and the two `document`s over it: the original program's shim and
 * the guest lowering on the line host's client-dom (here in Node, the host's import object
 * standing in for the component boundary; test/runtime/client-page.test.ts runs the real
 * component). Both must answer alike, and refuse alike what they do not carry.
 */
const spec = [
  { tag: 'textarea', id: 'caption', value: 'typed', text: 'initial' },
  { tag: 'div', id: 'box', text: 'Box' },
  { tag: 'input', value: 'first input' },
  { tag: 'progress', id: 'bar' },
];

type Doc = { querySelector(s: string): { value: unknown; textContent: unknown } | null; getElementById(id: string): { value: unknown; textContent: unknown } | null };

function both(): [string, Doc][] {
  const page = new SimulatedPage(spec);
  const dom = clientDomImports(page)['stopline:line/client-dom'] as unknown as ClientDomImport;
  return [
    ['shim', shimDocument(page) as Doc],
    ['lowering', lowerDocument(dom) as unknown as Doc],
  ];
}

const outcome = (f: () => unknown): unknown => {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).name, message: (e as Error).message };
  }
};

describe('the simulated page', () => {
  it.each(both())('%s: finds elements by tag, #id and tag#id in document order, reads value and textContent live', (_side, doc) => {
    expect(doc.querySelector('#caption')?.value).toBe('typed');
    expect(doc.querySelector('textarea')?.textContent).toBe('initial');
    expect(doc.querySelector('input')?.value).toBe('first input');
    expect(doc.querySelector('TEXTAREA#caption')?.value).toBe('typed');
    expect(doc.querySelector('div#caption')).toBeNull();
    expect(doc.getElementById('box')?.textContent).toBe('Box');
    expect(doc.getElementById('box')?.value).toBeUndefined();
    expect(doc.getElementById('nothing')).toBeNull();
  });

  it.each(both())('%s: a blank selector is the browser SyntaxError; other selectors and number values are refused, never answered wrongly', (_side, doc) => {
    expect(outcome(() => doc.querySelector(''))).toEqual({ error: 'SyntaxError', message: "Failed to execute 'querySelector' on 'Document': The provided selector is empty." });
    expect(outcome(() => doc.querySelector('#'))).toEqual({ error: 'SyntaxError', message: "Failed to execute 'querySelector' on 'Document': '#' is not a valid selector." });
    expect(outcome(() => doc.querySelector('.cls'))).toEqual({ error: 'TypeError', message: "stopline's simulated page answers the selectors tag, #id and tag#id only, not '.cls'" });
    expect(outcome(() => doc.getElementById('bar')!.value)).toEqual({ error: 'TypeError', message: "the value of a <progress> is a number; stopline's client-dom carries string values only" });
  });

  it.each(both())('%s: the element is read-only', (_side, doc) => {
    const el = doc.querySelector('#caption')!;
    expect(outcome(() => (el.value = 'x'))).toMatchObject({ error: 'TypeError' });
    expect(el.value).toBe('typed');
  });

  it('the shim refuses every other member of document and of an element', () => {
    const doc = shimDocument(new SimulatedPage(spec)) as Record<string, unknown>;
    expect(outcome(() => doc['body'])).toEqual({ error: 'TypeError', message: "stopline's simulated page supports document.querySelector, document.getElementById only, not document.body" });
    const el = (doc as unknown as Doc).querySelector('#caption') as unknown as Record<string, unknown>;
    expect(outcome(() => el['focus'])).toEqual({ error: 'TypeError', message: "stopline's simulated page supports element.value, element.textContent only, not element.focus" });
  });

  it('a page spec gives value only to elements with a string value', () => {
    expect(pageSchema.safeParse([{ tag: 'div', value: 'x' }]).success).toBe(false);
    expect(pageSchema.safeParse([{ tag: 'Div' }]).success).toBe(false);
    expect(pageSchema.safeParse(spec).success).toBe(true);
  });
});
