/**
 * `String.prototype.normalize` inside a component. StarlingMonkey's SpiderMonkey is built
 * without ICU: `normalize` is missing, and `'Åé'.normalize('NFKD')` (conduit's slugify) is a
 * TypeError. The bundle (codegen/bundle/unicode-normalize.ts) computes the tables at build
 * time from Node's own normalize, so the result is Node's for the forms lowered:
 *
 *   - NFD and NFKD, exactly: every code point replaced by its full decomposition (Hangul
 *     syllables by the algorithm of Unicode §3.12, the rest from the table), then the
 *     canonical ordering (a stable sort of each run of non-starters by combining class;
 *     the table holds each non-starter's rank among the classes, which orders as they do);
 *   - NFC and NFKC only for text without composable characters: a string of code points
 *     below U+0300 that NFD leaves alone is its own NFC (so ASCII and Latin-1 text without
 *     decomposable letters pass); anything else throws an Error naming what is missing —
 *     never a silently different string.
 *
 * Plain JavaScript for the guest; `installNormalize` sets the method only where the engine
 * has none (Node keeps its own).
 */

export interface NormalizeTables {
  /** Code point → its full canonical decomposition (NFD of that code point alone), where it differs. */
  readonly canonical: Readonly<Record<string, string>>;
  /** Code point → its full compatibility decomposition (NFKD), where it differs from `canonical`'s. */
  readonly compatibility: Readonly<Record<string, string>>;
  /** Non-starter code point → its rank among the combining classes (1 = lowest non-zero class). */
  readonly ranks: Readonly<Record<string, number>>;
}

const S_BASE = 0xac00;
const L_BASE = 0x1100;
const V_BASE = 0x1161;
const T_BASE = 0x11a7;
const T_COUNT = 28;
const N_COUNT = 588;
const S_COUNT = 11172;

export function createNormalize(tables: NormalizeTables): (text: string, form?: string) => string {
  const decompose = (text: string, compat: boolean): string => {
    const out: number[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const s = cp - S_BASE;
      if (s >= 0 && s < S_COUNT) {
        out.push(L_BASE + Math.floor(s / N_COUNT), V_BASE + Math.floor((s % N_COUNT) / T_COUNT));
        if (s % T_COUNT !== 0) out.push(T_BASE + (s % T_COUNT));
        continue;
      }
      const d = (compat ? tables.compatibility[cp] : undefined) ?? tables.canonical[cp];
      if (d === undefined) out.push(cp);
      else for (const part of d) out.push(part.codePointAt(0)!);
    }
    // Canonical ordering: each run of non-starters sorted by class, stably.
    for (let i = 0; i < out.length; ) {
      if (tables.ranks[out[i]!] === undefined) {
        i++;
        continue;
      }
      let j = i;
      while (j < out.length && tables.ranks[out[j]!] !== undefined) j++;
      if (j - i > 1) {
        const run = out.slice(i, j).map((cp, k) => ({ cp, k, r: tables.ranks[cp]! }));
        run.sort((a, b) => a.r - b.r || a.k - b.k);
        for (let k = 0; k < run.length; k++) out[i + k] = run[k]!.cp;
      }
      i = j;
    }
    return String.fromCodePoint(...out);
  };
  return (text, form = 'NFC') => {
    const f = String(form);
    if (f !== 'NFC' && f !== 'NFD' && f !== 'NFKC' && f !== 'NFKD') throw new RangeError('form must be one of \'NFC\', \'NFD\', \'NFKC\', or \'NFKD\'.');
    if (f === 'NFD') return decompose(text, false);
    if (f === 'NFKD') return decompose(text, true);
    const plain = decompose(text, f === 'NFKC');
    let simple = plain === text;
    for (const ch of text) if (ch.codePointAt(0)! >= 0x300) simple = false;
    if (simple) return text;
    throw new Error(`String.prototype.normalize('${f}') is not available inside a component for text with composable characters (StarlingMonkey has no Unicode data; NFD and NFKD are lowered)`);
  };
}

/** Sets `String.prototype.normalize` from `tables` where the engine has none. */
export function installNormalize(tables: NormalizeTables): void {
  if (typeof String.prototype.normalize === 'function') return;
  const normalize = createNormalize(tables);
  Object.defineProperty(String.prototype, 'normalize', {
    value: function normalizeString(this: unknown, form?: string): string {
      if (this === null || this === undefined) throw new TypeError('String.prototype.normalize called on null or undefined');
      return normalize(String(this), form);
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}
