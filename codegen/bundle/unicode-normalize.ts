import type { NormalizeTables } from '../lower/string-normalize.js';
import { js } from './lowerings/types.js';

/**
 * The tables of codegen/lower/string-normalize.ts, computed from Node's own
 * `String.prototype.normalize` when the bundle is made (StarlingMonkey has no Unicode
 * data): per code point its NFD and NFKD, and the order of the combining classes of the
 * non-starters, found by asking NFD how it orders two marks (it puts the lower class
 * first). A stop's prelude installs them when the code its bundle keeps calls `.normalize(`
 * (the project's or a bundled package's; bundle.ts looks after its first pass).
 */

const GRAVE_BELOW = '\u0334'; // combining class 1
const ACUTE = '\u0301'; // combining class 230

let tables: NormalizeTables | null = null;

export function normalizeTables(): NormalizeTables {
  if (tables !== null) return tables;
  const canonical: Record<string, string> = {};
  const compatibility: Record<string, string> = {};
  const marks: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    if (cp >= 0xac00 && cp <= 0xd7a3) continue; // Hangul syllables: by the algorithm
    const ch = String.fromCodePoint(cp);
    const nfd = ch.normalize('NFD');
    const nfkd = ch.normalize('NFKD');
    if (nfd !== ch) canonical[cp] = nfd;
    if (nfkd !== nfd) compatibility[cp] = nfkd;
    if (nfd === ch && ((ch + GRAVE_BELOW).normalize('NFD') === GRAVE_BELOW + ch || (ACUTE + ch).normalize('NFD') === ch + ACUTE)) marks.push(ch);
  }
  // Class order: a goes after b exactly when NFD swaps them.
  const after = (a: string, b: string): boolean => (a + b).normalize('NFD') === b + a;
  marks.sort((a, b) => (after(a, b) ? 1 : after(b, a) ? -1 : 0));
  const ranks: Record<string, number> = {};
  let rank = 0;
  for (let i = 0; i < marks.length; i++) {
    if (i === 0 || after(marks[i]!, marks[i - 1]!)) rank++;
    ranks[marks[i]!.codePointAt(0)!] = rank;
  }
  tables = { canonical, compatibility, ranks };
  return tables;
}

/** Whether code calls `.normalize(` (then the stop's prelude installs the lowering). */
export function usesNormalize(sources: Iterable<string>): boolean {
  for (const text of sources) if (/\.normalize\s*\(/.test(text)) return true;
  return false;
}

/** Prelude lines that install String.prototype.normalize from the tables. */
export function normalizePrelude(lowering: (name: string) => string): string[] {
  return [`import { installNormalize as __stopline_installNormalize } from ${js(lowering('string-normalize'))};`, `__stopline_installNormalize(${JSON.stringify(normalizeTables())});`];
}
