import { js, type LoweringContext } from './types.js';

/**
 * Library lowerings: libraries that are not stores, replaced inside every component where
 * a stop's code (or a package bundled into it) imports them. Store lowerings
 * (registry.ts) exist per store preset and come with a store of the config; a library
 * lowering is always available and costs nothing where nothing imports it (the bundle
 * resolves its specifiers to the lowered module only on import, and tree-shakes the rest).
 * A store lowering that provides the same specifier wins.
 *
 * A library lowering is the library's call shapes re-implemented in plain JavaScript in
 * codegen/lower/ (no Node APIs: it runs in StarlingMonkey), with the exports the
 * library has (named and default), behaving exactly as the library on what it supports
 * and throwing an Error naming what it does not — never a silently different result.
 *
 * Adding one:
 *   1. write codegen/lower/<name>.ts with the library's exports;
 *   2. test it against the real library on the same inputs (property tests with
 *      fast-check, as test/codegen/node-crypto.test.ts and jsonwebtoken.test.ts do), the
 *      real package as a devDependency;
 *   3. list it below with the bare specifiers it replaces;
 *   4. add a row to ARCHITECTURE.md (and the dependency table if it bundles a package).
 */
export interface LibraryLowering {
  /** The library, for messages and docs. */
  readonly name: string;
  /** Bare import specifiers it replaces, exactly as imported (`'node:crypto'`, `'crypto'`). */
  readonly specifiers: readonly string[];
  /** The ES module (JavaScript source) that replaces them at a stop. */
  module(context: LoweringContext): string;
}

/** A module re-exporting a codegen/lower module, default export included. */
function reexport(context: LoweringContext, name: string): string {
  const file = js(context.lowering(name));
  return `export * from ${file};\nexport { default } from ${file};`;
}

/** node:crypto's hashing, HMAC, timingSafeEqual and randomness (codegen/lower/node-crypto.ts). */
export const nodeCryptoLowering: LibraryLowering = {
  name: 'node:crypto',
  specifiers: ['node:crypto', 'crypto'],
  module: (context) => reexport(context, 'node-crypto'),
};

/** jsonwebtoken's sign / verify / decode for HS256/384/512 (codegen/lower/jsonwebtoken.ts). */
export const jsonwebtokenLowering: LibraryLowering = {
  name: 'jsonwebtoken',
  specifiers: ['jsonwebtoken'],
  module: (context) => reexport(context, 'jsonwebtoken'),
};

export const libraryLowerings: readonly LibraryLowering[] = [nodeCryptoLowering, jsonwebtokenLowering];

/** Specifier → the lowering that replaces it. */
export function librarySpecifiers(lowerings: readonly LibraryLowering[] = libraryLowerings): ReadonlyMap<string, LibraryLowering> {
  const out = new Map<string, LibraryLowering>();
  for (const l of lowerings) {
    for (const s of l.specifiers) {
      const other = out.get(s);
      if (other !== undefined) throw new Error(`library lowerings ${other.name} and ${l.name} both replace '${s}'`);
      out.set(s, l);
    }
  }
  return out;
}
