import { ts } from 'ts-morph';
import type { CallRule, Preset, ReferenceRule, SymbolPattern } from '../../src/presets/types.js';
import type { DeclarationInfo } from './declaration.js';
import { patternMatches } from './declaration.js';
import { fromMatches, globMatcher, isGlob, moduleMatches, ownerMatches } from './glob.js';

/** One rule of one preset, in preset order. */
export interface IndexedRule {
  readonly preset: Preset;
  readonly match: SymbolPattern;
  /** The call rule, or null for a reference rule. */
  readonly call: CallRule | null;
  /**
   * For rules with a glob name (`*` in `fs`, `*` on `HTML*Element`): a cheap test of a
   * file's text that must pass before any name in the file is resolved against the rule.
   * A module's exports are reached through an import naming the module; a global
   * interface's members through a global or type named by the preset. Null: no gate.
   */
  readonly gate: RegExp | null;
}

export type Site = 'identifier' | 'member';

/**
 * Rules by the member name they can match: the cheap first filter. Exact names go in a
 * map; glob names (`find*`, `*`) are expanded, once, into the names the program's
 * declaration files actually declare under the pattern's module and owner — so `*` in
 * `fs` becomes `readFileSync`, `writeFile`… and the filter stays a set lookup.
 */
export class RuleIndex {
  private readonly exact = new Map<string, IndexedRule[]>();
  private readonly globs: IndexedRule[] = [];
  private expanded: Map<string, IndexedRule[]> | null = null;
  private readonly memo = new Map<string, readonly IndexedRule[]>();
  private readonly gates = new Map<RegExp, WeakMap<ts.SourceFile, boolean>>();
  private globals: Set<string> | null = null;
  private readonly possibleOwners = new Map<string, boolean>();

  constructor(
    rules: readonly IndexedRule[],
    private readonly program: ts.Program,
    private readonly decls: DeclarationInfo,
  ) {
    for (const rule of rules) {
      if (isGlob(rule.match.name)) {
        this.globs.push(rule);
      } else {
        const list = this.exact.get(rule.match.name) ?? [];
        list.push(rule);
        this.exact.set(rule.match.name, list);
      }
    }
  }

  get isEmpty(): boolean {
    return this.exact.size === 0 && this.globs.length === 0;
  }

  /** Every rule whose name could be `name` (exact, or a glob expanded over the program). No checker, memoised. */
  byName(name: string): readonly IndexedRule[] {
    let all = this.memo.get(name);
    if (!all) {
      all = [...(this.exact.get(name) ?? []), ...(this.expandedNames().get(name) ?? [])].filter((r) => this.isPossible(r));
      this.memo.set(name, all);
    }
    return all;
  }

  /**
   * A rule for members of a global type (`KVNamespace.get`, `Storage.getItem`) can only
   * match when the program declares that type globally: without workers types or lib.dom
   * those rules are skipped outright.
   */
  private isPossible(rule: IndexedRule): boolean {
    const { module, owner } = rule.match;
    if (module !== null || owner === null || owner === '*') return true;
    let possible = this.possibleOwners.get(owner);
    if (possible === undefined) {
      const names = this.globalTypes();
      possible = isGlob(owner) ? [...names].some((name) => ownerMatches(owner, name)) : names.has(owner);
      this.possibleOwners.set(owner, possible);
    }
    return possible;
  }

  private globalTypes(): ReadonlySet<string> {
    if (this.globals) return this.globals;
    const names = new Set<string>();
    this.globals = names;
    const visit = (statements: ts.NodeArray<ts.Statement>, prefix: string): void => {
      for (const s of statements) {
        if (ts.isModuleDeclaration(s)) {
          let body = s.body;
          let name = ts.isIdentifier(s.name) ? s.name.text : '';
          while (body && ts.isModuleDeclaration(body)) {
            name = `${name}.${body.name.text}`;
            body = body.body;
          }
          if ((s.flags & ts.NodeFlags.GlobalAugmentation) !== 0) {
            if (body && ts.isModuleBlock(body)) visit(body.statements, '');
          } else if (ts.isStringLiteral(s.name)) {
            // `declare module 'x' { global { … } }`
            if (body && ts.isModuleBlock(body)) visitAugmentations(body.statements);
          } else {
            names.add(prefix + name);
            if (body && ts.isModuleBlock(body)) visit(body.statements, `${prefix}${name}.`);
          }
        } else if ((ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name) {
          names.add(prefix + s.name.text);
        }
      }
    };
    const visitAugmentations = (statements: ts.NodeArray<ts.Statement>): void => {
      for (const s of statements) {
        if (ts.isModuleDeclaration(s) && (s.flags & ts.NodeFlags.GlobalAugmentation) !== 0 && s.body && ts.isModuleBlock(s.body)) {
          visit(s.body.statements, '');
        }
      }
    };
    for (const sf of this.program.getSourceFiles()) {
      if (ts.isExternalModule(sf)) visitAugmentations(sf.statements);
      else visit(sf.statements, '');
    }
    // An owner pattern matches any dotted suffix ('Process' for `NodeJS.Process`).
    for (const name of [...names]) {
      for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) names.add(name.slice(i + 1));
    }
    return names;
  }

  /**
   * The rules of `byName(name)` that may match at a site in `sf`: an identifier can only
   * be a global or a module export (rules without an owner); a member anything. Gated
   * rules count only in files that pass their gate.
   */
  candidates(name: string, site: Site, sf: ts.SourceFile): IndexedRule[] {
    const all = this.byName(name);
    if (all.length === 0) return [];
    return all.filter((r) => (site === 'member' || r.match.owner === null || r.match.owner === '*') && this.passes(r, sf));
  }

  /** Rules whose name pattern fits `name`, whether or not the program declares it (import-chain matching). */
  byPattern(name: string): IndexedRule[] {
    return [...(this.exact.get(name) ?? []), ...this.globs.filter((r) => globMatcher(r.match.name)(name))];
  }

  private passes(rule: IndexedRule, sf: ts.SourceFile): boolean {
    if (!rule.gate) return true;
    let files = this.gates.get(rule.gate);
    if (!files) {
      files = new WeakMap();
      this.gates.set(rule.gate, files);
    }
    let ok = files.get(sf);
    if (ok === undefined) {
      ok = rule.gate.test(sf.text);
      files.set(sf, ok);
    }
    return ok;
  }

  private expandedNames(): Map<string, IndexedRule[]> {
    if (this.expanded) return this.expanded;
    const out = new Map<string, IndexedRule[]>();
    this.expanded = out;
    if (this.globs.length === 0) return out;
    const add = (name: string, rule: IndexedRule): void => {
      const list = out.get(name) ?? [];
      if (!list.includes(rule)) list.push(rule);
      out.set(name, list);
    };
    const test = (rules: readonly IndexedRule[], node: ts.Node, name: string): void => {
      if (rules.length === 0) return;
      const info = this.decls.of(node);
      for (const rule of rules) if (patternMatches(rule.match, info, name, null)) add(name, rule);
    };
    // Rules that may want the members of a class or interface called `ownerName` (its
    // namespace is checked exactly by `test`: `Deno.Kv` wants the members of `Kv`).
    const memberRules = (rules: readonly IndexedRule[], ownerName: string): IndexedRule[] =>
      rules.filter((r) => r.match.owner !== null && (ownerMatches(r.match.owner, ownerName) || globMatcher(r.match.owner.slice(r.match.owner.lastIndexOf('.') + 1))(ownerName)));
    // Walks top-level statements, `declare module`/namespace bodies, and the members of
    // interfaces and classes some rule's owner names; `rules` narrows as it goes.
    const visit = (statements: ts.NodeArray<ts.Statement>, rules: readonly IndexedRule[]): void => {
      for (const s of statements) {
        if (ts.isModuleDeclaration(s)) {
          let inner = rules;
          if (ts.isStringLiteral(s.name)) {
            const name = s.name.text;
            inner = rules.filter((r) => r.match.module !== null && moduleMatches(r.match.module, name));
            // `declare module 'x' { global { … } }` declares globals.
            const globalRules = rules.filter((r) => r.match.module === null);
            if (globalRules.length > 0 && s.body && ts.isModuleBlock(s.body)) {
              for (const st of s.body.statements) {
                if (ts.isModuleDeclaration(st) && (st.flags & ts.NodeFlags.GlobalAugmentation) !== 0 && st.body && ts.isModuleBlock(st.body)) {
                  visit(st.body.statements, globalRules);
                }
              }
            }
          }
          if (inner.length === 0) continue;
          if (ts.isIdentifier(s.name) && (s.flags & ts.NodeFlags.GlobalAugmentation) === 0) test(inner, s, s.name.text);
          let body = s.body;
          while (body && ts.isModuleDeclaration(body)) body = body.body;
          if (body && ts.isModuleBlock(body)) visit(body.statements, inner);
        } else if (ts.isVariableStatement(s)) {
          for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) test(rules, d, d.name.text);
        } else if (ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s)) {
          if (s.name) {
            test(rules, s, s.name.text);
            const members = memberRules(rules, s.name.text);
            if (members.length > 0) {
              for (const m of s.members) {
                const name = m.name;
                if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) test(members, m, name.text);
              }
            }
          }
        } else if (ts.isFunctionDeclaration(s) || ts.isEnumDeclaration(s) || ts.isTypeAliasDeclaration(s)) {
          if (s.name) test(rules, s, s.name.text);
        }
      }
    };
    // Member names the other TypeScript lib files declare too (length, name, value, add…):
    // a `*` member rule restricted to one lib (`from: 'lib.dom'`) skips them. They are too
    // common to resolve everywhere, and a value that has them was reached through a
    // distinctive member or global of the same lib, which matches.
    const libRules = this.globs.filter((r) => r.match.from !== undefined && r.match.from.startsWith('lib.') && r.match.owner !== null);
    const common = new Set<string>();
    if (libRules.length > 0) {
      for (const sf of this.program.getSourceFiles()) {
        const source = this.decls.sourceOf(sf);
        if (!source || !source.startsWith('lib.') || !this.program.isSourceFileDefaultLibrary(sf)) continue;
        if (libRules.every((r) => fromMatches(r.match.from ?? '', source))) continue;
        for (const st of sf.statements) {
          if (!ts.isInterfaceDeclaration(st) && !ts.isClassDeclaration(st)) continue;
          for (const m of st.members) {
            const name = m.name;
            if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) common.add(name.text);
          }
        }
      }
    }
    for (const sf of this.program.getSourceFiles()) {
      if (!sf.isDeclarationFile) continue;
      const source = this.decls.sourceOf(sf);
      const rules = this.globs.filter((r) => r.match.from === undefined || fromMatches(r.match.from, source));
      if (rules.length === 0) continue;
      if (ts.isExternalModule(sf)) {
        // A module file declares its package's exports (and maybe `declare global`).
        const own = rules.filter((r) => r.match.module !== null && source !== null && moduleMatches(r.match.module, source));
        if (own.length > 0) visit(sf.statements, own);
        const global = rules.filter((r) => r.match.module === null);
        if (global.length > 0) {
          for (const st of sf.statements) {
            if (ts.isModuleDeclaration(st) && (st.flags & ts.NodeFlags.GlobalAugmentation) !== 0 && st.body && ts.isModuleBlock(st.body)) {
              visit(st.body.statements, global);
            }
          }
        }
        continue;
      }
      // A script declares globals, and modules in `declare module 'x'` blocks.
      const global = rules.filter((r) => r.match.module === null);
      const modules = rules.filter((r) => r.match.module !== null);
      if (global.length > 0) visit(sf.statements, global);
      if (modules.length > 0) {
        for (const st of sf.statements) {
          if (ts.isModuleDeclaration(st) && ts.isStringLiteral(st.name)) visit(ts.factory.createNodeArray([st]), modules);
        }
      }
    }
    for (const name of common) {
      const list = out.get(name);
      if (!list) continue;
      const kept = list.filter((r) => !libRules.includes(r));
      if (kept.length > 0) out.set(name, kept);
      else out.delete(name);
    }
    return out;
  }
}

function wordPattern(glob: string): string {
  return glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\w*');
}

/** The gate of a glob-named rule: see `IndexedRule.gate`. */
function gateOf(preset: Preset, match: SymbolPattern): RegExp | null {
  if (!isGlob(match.name)) return null;
  if (match.module !== null) {
    // An import (or require) naming the module or one of its subpaths, with or without `node:`.
    return new RegExp(`['"\`](?:node:)?${wordPattern(match.module)}(?:/[^'"\`]*)?['"\`]`);
  }
  if (match.owner === null || match.owner === '*') return null;
  const words = new Set<string>();
  for (const m of [...preset.calls.map((c) => c.match), ...preset.references.map((r) => r.match)]) {
    if (m.module !== null) continue;
    if (m.owner === null && !isGlob(m.name)) words.add(wordPattern(m.name));
    if (m.owner !== null && m.owner !== '*') for (const seg of m.owner.split('.')) words.add(wordPattern(seg));
  }
  return new RegExp(`\\b(?:${[...words].sort().join('|')})\\b`);
}

export function callRules(presets: readonly Preset[], which: (p: Preset) => boolean): IndexedRule[] {
  return presets
    .filter(which)
    .flatMap((preset) => preset.calls.map((call): IndexedRule => ({ preset, match: call.match, call, gate: gateOf(preset, call.match) })));
}

export function referenceRules(presets: readonly Preset[]): IndexedRule[] {
  return presets
    .filter((p) => p.capability !== null)
    .flatMap((preset) =>
      preset.references.map((ref: ReferenceRule): IndexedRule => ({ preset, match: ref.match, call: null, gate: gateOf(preset, ref.match) })),
    );
}
