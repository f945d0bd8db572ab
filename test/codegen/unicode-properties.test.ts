import { describe, expect, it } from 'vitest';
import { expandModulePropertyEscapes, expandPropertyEscapes } from '../../codegen/bundle/unicode-properties.js';

/** Evaluates `const name = /…/;` declarations of a module into an object. */
function regexps(code: string): Record<string, RegExp> {
  const out: Record<string, RegExp> = {};
  new Function('out', code.replace(/const (\w+) =/g, 'out.$1 ='))(out);
  return out;
}

describe('Unicode property escapes expanded for StarlingMonkey (bundle)', () => {
  // path-to-regexp 8's own expressions, plus a class-less escape, a negated one, and a string that only looks like one.
  const source = [
    'const ID_START = /^[$_\\p{ID_Start}]$/u;',
    'const ID_CONTINUE = /^[$\\u200c\\u200d\\p{ID_Continue}]$/u;',
    'const ID = /^[$_\\p{ID_Start}][$\\u200c\\u200d\\p{ID_Continue}]*$/u;',
    'const LETTERS = /^\\p{L}+$/u;',
    'const NOT_DIGIT = /^[\\P{Nd}]$/u;',
    'const TEXT = "\\\\p{L}";',
  ].join('\n');
  const original = regexps(source);
  const expanded = expandModulePropertyEscapes(source);
  const lowered = regexps(expanded);

  it('leaves no property escape in a regular expression, and strings alone', () => {
    expect(expanded.split('\n').slice(0, 5).every((l) => !/\\[pP]\{/.test(l))).toBe(true);
    expect(lowered['TEXT']).toBe('\\p{L}');
  });

  it('matches exactly what the original expressions match, over every code point', () => {
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const s = String.fromCodePoint(cp);
      for (const [name, probe] of [['ID_START', s], ['ID_CONTINUE', s], ['ID', `a${s}`], ['ID', s], ['LETTERS', `x${s}`], ['NOT_DIGIT', s]] as const) {
        if (original[name]!.test(probe) !== lowered[name]!.test(probe)) differ.push(`${name} U+${cp.toString(16)}`);
      }
    }
    expect(differ).toEqual([]);
  });

  it('leaves literals without the u flag, or without escapes, as they are (null)', () => {
    expect(expandPropertyEscapes('/\\p{L}/')).toBeNull();
    expect(expandPropertyEscapes('/abc/u')).toBeNull();
    expect(expandModulePropertyEscapes('const a = 1;')).toBe('const a = 1;');
  });
});
