import { ts } from 'ts-morph';
import type { HandleRule, Preset } from '../../src/presets/types.js';
import type { DeclarationInfo } from './declaration.js';
import { patternMatches } from './declaration.js';
import type { HandleMatch } from './types.js';

interface IndexedHandle {
  readonly preset: Preset;
  readonly rule: HandleRule;
}

const rank: Record<HandleMatch['kind'], number> = { resource: 3, request: 2, 'store-handle': 1 };
const maxBaseDepth = 8;

/**
 * Which types are handles. A type's own alias, class or interface is tried first, then
 * its base types (pg's `PoolClient` is a resource although it extends `Client`, a store
 * handle). Unions count their non-nullish members (the strongest kind wins: resource,
 * request, store handle); intersections any member. Cached per type.
 */
export class HandleClassifier {
  private readonly rules: IndexedHandle[];
  private readonly cache = new WeakMap<ts.Type, HandleMatch | null>();

  constructor(
    presets: readonly Preset[],
    private readonly checker: ts.TypeChecker,
    private readonly decls: DeclarationInfo,
  ) {
    this.rules = presets.flatMap((preset) => preset.handles.map((rule) => ({ preset, rule })));
  }

  classify(type: ts.Type): HandleMatch | null {
    const hit = this.cache.get(type);
    if (hit !== undefined) return hit;
    this.cache.set(type, null); // recursion guard
    const result = this.compute(type);
    this.cache.set(type, result);
    return result;
  }

  private compute(type: ts.Type): HandleMatch | null {
    if (this.rules.length === 0) return null;
    if (type.isUnion()) {
      let best: HandleMatch | null = null;
      for (const t of type.types) {
        if ((t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)) !== 0) continue;
        const m = this.classify(t);
        if (m && (!best || rank[m.kind] > rank[best.kind])) best = m;
      }
      return best;
    }
    if (type.isIntersection()) {
      if (type.aliasSymbol) {
        const own = this.bySymbol(type.aliasSymbol);
        if (own) return own;
      }
      let best: HandleMatch | null = null;
      for (const t of type.types) {
        const m = this.classify(t);
        if (m && (!best || rank[m.kind] > rank[best.kind])) best = m;
      }
      return best;
    }
    if ((type.flags & ts.TypeFlags.Object) === 0) return null;
    if (type.aliasSymbol) {
      const own = this.bySymbol(type.aliasSymbol);
      if (own) return own;
    }
    const seen = new Set<ts.Type>();
    let level: ts.Type[] = [type];
    for (let depth = 0; level.length > 0 && depth < maxBaseDepth; depth++) {
      for (const t of level) {
        const symbol = t.getSymbol();
        if (symbol) {
          const m = this.bySymbol(symbol);
          if (m) return m;
        }
      }
      const next: ts.Type[] = [];
      for (const t of level) {
        for (const base of this.baseTypes(t)) {
          if (!seen.has(base)) {
            seen.add(base);
            next.push(base);
          }
        }
      }
      level = next;
    }
    return null;
  }

  private baseTypes(type: ts.Type): readonly ts.Type[] {
    const objectFlags = (type as ts.ObjectType).objectFlags ?? 0;
    let target: ts.Type = type;
    if ((objectFlags & ts.ObjectFlags.Reference) !== 0) target = (type as ts.TypeReference).target;
    const targetFlags = (target as ts.ObjectType).objectFlags ?? 0;
    if ((targetFlags & (ts.ObjectFlags.Class | ts.ObjectFlags.Interface)) === 0) return [];
    const bases = this.checker.getBaseTypes(target as ts.InterfaceType);
    return bases.flatMap((b) => (b.isIntersection() ? b.types : [b]));
  }

  private bySymbol(symbol: ts.Symbol): HandleMatch | null {
    const name = symbol.getName();
    for (const decl of symbol.declarations ?? []) {
      const info = this.decls.of(decl);
      for (const { preset, rule } of this.rules) {
        if (patternMatches(rule.match, info, name, null)) {
          return { kind: rule.kind, preset: preset.name, api: info.owner && info.module === null ? `${lastSegment(info.owner)}.${name}` : name };
        }
      }
    }
    return null;
  }
}

function lastSegment(owner: string): string {
  const dot = owner.lastIndexOf('.');
  return dot < 0 ? owner : owner.slice(dot + 1);
}
