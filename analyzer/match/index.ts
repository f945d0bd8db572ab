/**
 * The preset matcher: which calls read or write which store, which uses are client-only,
 * server-only or secret, and which types are handles — all by resolved symbol, with an
 * import-chain fallback when a library's types are missing.
 *
 *   types.ts        the public types (MatchEnv, Matcher, AccessMatch…)
 *   matcher.ts      createMatcher, and RuleMatcher: rule matching without stores
 *   detect.ts       detectPresets: which store presets a program uses
 *   declaration.ts  where a declaration lives (module, owner, package) and pattern tests
 *   rules.ts        rules indexed by member name: the cheap first filter
 *   resolve.ts      callee/reference → symbol → declarations; API names
 *   trace.ts        receivers back to store bindings or to imports
 *   bindings.ts     store bindings (`file#name`, `file#Interface.prop`) in the program
 *   handles.ts      classifyType
 *   imports.ts      per-file import bindings
 *   text.ts         known string prefixes, SQL and HTTP method classification
 *   glob.ts         the `*` patterns of presets
 */
export { createMatcher } from './matcher.js';
export { detectPresets } from './detect.js';
export { classifySql, knownText, type KnownText } from './text.js';
export type { AccessMatch, CapabilityMatch, HandleMatch, MatchEnv, Matcher } from './types.js';
