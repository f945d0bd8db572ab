import { ts } from 'ts-morph';
import type { CallRule, Preset, ReferenceRule, SymbolPattern } from '../../src/presets/types.js';
import type { DeclarationInfo } from './declaration.js';
import { patternMatches } from './declaration.js';
import { globMatcher, isGlob } from './glob.js';

/** One rule of one preset, in preset order. */
export interface IndexedRule {
  readonly preset: Preset;
  readonly match: SymbolPattern;
  /** The call rule, or null for a reference rule. */
  readonly call: CallRule | null;
}

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

  /** Every rule (for import-chain matching, where nothing was expanded). */
  get all(): readonly IndexedRule[] {
    return [...[...this.exact.values()].flat(), ...this.globs];
  }

  /** Rules that may match a member called `name` whose declaration the program has. */
  candidates(name: string): readonly IndexedRule[] {
    const hit = this.memo.get(name);
    if (hit) return hit;
    const list = [...(this.exact.get(name) ?? []), ...(this.expandedNames().get(name) ?? [])];
    this.memo.set(name, list);
    return list;
  }

  /** Rules whose name pattern fits `name`, whether or not the program declares it (import-chain matching). */
  byPattern(name: string): readonly IndexedRule[] {
    return [...(this.exact.get(name) ?? []), ...this.globs.filter((r) => globMatcher(r.match.name)(name))];
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
    const visitDecl = (node: ts.Node, name: string): void => {
      const info = this.decls.of(node);
      for (const rule of this.globs) {
        if (patternMatches(rule.match, info, name, null)) add(name, rule);
      }
    };
    const visitMembers = (members: ts.NodeArray<ts.Node>): void => {
      for (const m of members) {
        const name = (m as { name?: ts.Node }).name;
        if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) visitDecl(m, name.text);
      }
    };
    const visitStatements = (statements: ts.NodeArray<ts.Statement>): void => {
      for (const s of statements) {
        if (ts.isModuleDeclaration(s)) {
          if (s.body && ts.isModuleBlock(s.body)) visitStatements(s.body.statements);
          else if (s.body && ts.isModuleDeclaration(s.body)) visitStatements(ts.factory.createNodeArray([s.body]));
          if (ts.isIdentifier(s.name) && (s.flags & ts.NodeFlags.GlobalAugmentation) === 0) visitDecl(s, s.name.text);
        } else if (ts.isVariableStatement(s)) {
          for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name)) visitDecl(d, d.name.text);
        } else if (ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s)) {
          if (s.name) visitDecl(s, s.name.text);
          visitMembers(s.members);
        } else if (ts.isFunctionDeclaration(s) || ts.isEnumDeclaration(s) || ts.isTypeAliasDeclaration(s)) {
          if (s.name) visitDecl(s, s.name.text);
        }
      }
    };
    for (const sf of this.program.getSourceFiles()) {
      if (!sf.isDeclarationFile) continue;
      const source = this.decls.sourceOf(sf);
      // A pattern with `from` only looks at files from there; others need every file
      // that may declare a module or a global.
      const wanted = this.globs.some((r) => r.match.from === undefined || (source !== null && (source === r.match.from || source.startsWith(`${r.match.from}.`))));
      if (wanted) visitStatements(sf.statements);
    }
    return out;
  }
}

export function callRules(presets: readonly Preset[], which: (p: Preset) => boolean): IndexedRule[] {
  return presets.filter(which).flatMap((preset) => preset.calls.map((call): IndexedRule => ({ preset, match: call.match, call })));
}

export function referenceRules(presets: readonly Preset[]): IndexedRule[] {
  return presets
    .filter((p) => p.capability !== null)
    .flatMap((preset) => preset.references.map((ref: ReferenceRule): IndexedRule => ({ preset, match: ref.match, call: null })));
}
