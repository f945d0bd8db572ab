import type { ts } from 'ts-morph';
import type { AccessOp, Diagnostic, SourceRange, Store } from '../../src/ir/index.js';
import type { Capability, Preset } from '../../src/presets/types.js';

/** What the matcher needs: one loaded program, the presets to match and the stores of the analysis. */
export interface MatchEnv {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /** Absolute project directory; bindings (`src/db.ts#pool`) are relative to it. */
  readonly rootDir: string;
  readonly presets: readonly Preset[];
  /** Stores of the analysis: `preset` picks the candidates, `binding` / `urlPrefix` choose among them. */
  readonly stores: readonly Store[];
  /** Where each configured store is declared in stopline.yaml, by store name: the place of SL1013 (binding not in the program). */
  readonly storeRanges?: ReadonlyMap<string, SourceRange>;
}

/** A call that reads or writes a store. */
export interface AccessMatch {
  readonly store: string;
  readonly preset: string;
  readonly op: AccessOp;
  /** Short human name: `Pool.query`, `KVNamespace.get`, `localStorage.getItem`. */
  readonly api: string;
  /** `symbol`: through the checker; `import-chain`: the library's types are missing, matched through the imports (SL2003). */
  readonly resolvedBy: 'symbol' | 'import-chain';
}

/** A use of a client-only, server-only or secret API. */
export interface CapabilityMatch {
  readonly capability: Capability;
  readonly preset: string;
  /** `process.env`, `document.querySelector`, `fs.readFileSync`. */
  readonly api: string;
}

/** Values of a type that are store handles, session resources or request objects. */
export interface HandleMatch {
  readonly kind: 'store-handle' | 'resource' | 'request';
  readonly preset: string;
  /** The type's name: `PoolClient`, `KVNamespace`, `Deno.Kv`, `Context`. */
  readonly api: string;
}

export interface Matcher {
  /**
   * A store access, or null. Also accepts a tagged template (`prisma.$queryRaw\`…\``).
   * Results are cached per node: calling it again for the same node is cheap.
   */
  matchCall(call: ts.CallExpression | ts.TaggedTemplateExpression): AccessMatch | null;
  /**
   * A capability use, or null. Call it on identifiers, property/element accesses and calls.
   * Each use is reported once, at its outermost node: for `document.body.innerHTML` the
   * property access matches and the inner `document` and `document.body` do not; the
   * callee of a call that matches a call rule does not match on its own; identifiers in
   * type positions, declaration names and `typeof x` operands never match.
   */
  matchCapability(node: ts.Node): CapabilityMatch | null;
  /** Whether some active store preset has a call rule for a member of this name (`query`, `get`…): no checker. */
  isStoreMemberName(name: string): boolean;
  /** Whether values of this type are handles (looks through unions with null/undefined, intersections and base types). */
  classifyType(type: ts.Type): HandleMatch | null;
  /** SL2003 (import-chain fallbacks), SL2040 (store not decidable), SL1013 (binding not in the program): deduplicated, sorted. */
  diagnostics(): Diagnostic[];
}
