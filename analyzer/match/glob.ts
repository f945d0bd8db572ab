/**
 * The small pattern language of presets: `*` matches any run of characters, everything
 * else is literal. Compiled patterns are cached: presets hold a few hundred strings.
 */
const cache = new Map<string, (text: string) => boolean>();

export function globMatcher(pattern: string): (text: string) => boolean {
  let test = cache.get(pattern);
  if (test) return test;
  if (pattern === '*') {
    test = () => true;
  } else if (!pattern.includes('*')) {
    test = (text) => text === pattern;
  } else {
    const source = pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    const re = new RegExp(`^${source}$`);
    test = (text) => re.test(text);
  }
  cache.set(pattern, test);
  return test;
}

export function isGlob(pattern: string): boolean {
  return pattern.includes('*');
}

/** `node:fs` → `fs`: Node's built-in modules are one module under both names. */
export function normaliseModule(name: string): string {
  return name.startsWith('node:') ? name.slice(5) : name;
}

/** A module pattern matches the module or any of its subpaths ('fs' matches 'fs/promises'). */
export function moduleMatches(pattern: string, module: string): boolean {
  const test = globMatcher(normaliseModule(pattern));
  const name = normaliseModule(module);
  if (test(name)) return true;
  for (let i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
    if (test(name.slice(0, i))) return true;
  }
  return false;
}

/** An owner pattern matches the dotted owner or any dotted suffix of it ('Process' matches 'NodeJS.Process'). */
export function ownerMatches(pattern: string, owner: string): boolean {
  if (pattern === '*') return true;
  const test = globMatcher(pattern);
  if (test(owner)) return true;
  for (let i = owner.indexOf('.'); i >= 0; i = owner.indexOf('.', i + 1)) {
    if (test(owner.slice(i + 1))) return true;
  }
  return false;
}

/** `from`: a package name, or a TypeScript lib file prefix ('lib.dom' matches 'lib.dom.iterable.d.ts'). */
export function fromMatches(pattern: string, source: string | null): boolean {
  if (source === null) return false;
  return globMatcher(pattern)(source) || source.startsWith(`${pattern}.`);
}
