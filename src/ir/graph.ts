import type { Diagnostic, RelatedNote } from './diagnostic.js';
import type { Line, StopName } from './line.js';
import type { SourceRange } from './location.js';
import type { Store } from './store.js';
import type { TrustFlow } from './trust.js';
import type { ValueSchema } from './payload-schema.js';

/**
 * The analyzer's output: one region tree of segments per entry, with every fact the
 * planner needs as plain data. Nothing here points back into an AST; everything
 * serialises with JSON.stringify and is byte-identical for the same input.
 */
export interface SegmentGraph {
  readonly schema: 'stopline.graph/v1';
  readonly line: Line;
  readonly stores: readonly Store[];
  readonly settings: AnalysisSettings;
  readonly entries: readonly Entry[];
  /** Every segment of every entry, each tree in pre-order (parent before children). */
  readonly segments: readonly Segment[];
  /** The variables segments name in `liveIn`/`liveOut`, once each, sorted by id. */
  readonly variables: readonly LiveVariable[];
  readonly accesses: readonly Access[];
  /** Untrusted values flowing into strong writes (analyzer/integrity.ts); absent in graphs made by hand. */
  readonly flows?: readonly TrustFlow[];
  readonly diagnostics: readonly Diagnostic[];
  readonly stats: GraphStats;
}

export interface AnalysisSettings {
  /** Times a loop body runs per run of its loop, when the bound is not a literal. */
  readonly loopFactor: number;
  /** Probability of the `then` side of a branch (the `else` side gets 1 − p). */
  readonly branchProbability: number;
  /** Deepest chain of the service's own calls inlined into an entry's tree. */
  readonly inlineDepth: number;
  /** Most segments one entry's tree may hold; calls past it become opaque. */
  readonly inlineBudget: number;
}

export interface GraphStats {
  readonly files: number;
  readonly lines: number;
  readonly segments: number;
  readonly accesses: number;
}

export type EntrySource = 'config' | 'jsdoc' | 'fetch-handler' | 'hono' | 'express';

/** A function or route where a request arrives, and the stop it arrives at. */
export interface Entry {
  /** `viewCart` for functions, `GET /cart/:id` for routes. Unique in the graph. */
  readonly name: string;
  readonly arrives: StopName;
  readonly source: EntrySource;
  /** The handler function: its name (or `<anonymous>`) and declaration range. */
  readonly handler: { readonly name: string; readonly range: SourceRange };
  readonly route: { readonly method: string; readonly path: string } | null;
  /** Id of the root segment (the handler's body). */
  readonly root: string;
}

/**
 * body      the entry handler's body (the root of a tree)
 * statement a simple statement; its children are the calls inlined from it
 * block     a `{…}` run of statements: a branch side, a loop body, try/catch/finally
 * branch    `if`, `switch`
 * loop      `for`, `for…of`, `for…in`, `while`, `do…while`
 * try       `try` (children: try block, catch block, finally block)
 * call      one call site of the service's own function, inlined: children are the
 *           callee's body statements
 * opaque    a call that is not inlined (recursion, budget): one unit with the callee's
 *           accesses summarised
 */
export type SegmentKind = 'body' | 'statement' | 'block' | 'branch' | 'loop' | 'try' | 'call' | 'opaque';

/** A single-entry single-exit region of code: the unit of placement. */
export interface Segment {
  /** Stable id: `<entry>#<hash>`, derived from the entry, the path of kinds from the root and the segment's own text; unchanged by edits elsewhere. */
  readonly id: string;
  readonly entry: string;
  readonly parent: string | null;
  /** In execution order. */
  readonly children: readonly string[];
  readonly kind: SegmentKind;
  /** Short human text: the first line of the segment's code, at most 80 characters. */
  readonly label: string;
  readonly range: SourceRange;
  /** For `call`/`opaque`: the function that was inlined (or not). */
  readonly callee: { readonly name: string; readonly range: SourceRange } | null;
  /** Expected executions per request (the root runs once). */
  readonly count: number;
  /** Compute weight of the segment's own code (not its children), in abstract ops per execution. */
  readonly weight: number;
  /** Ids of the accesses whose call site is in this segment's own code. */
  readonly accesses: readonly string[];
  /** Ids (in `SegmentGraph.variables`) of the variables whose values flow in if this segment runs elsewhere. */
  readonly liveIn: readonly string[];
  /** Ids of the variables this segment defines that code after it (or a later loop iteration) reads. */
  readonly liveOut: readonly string[];
  /** Live-in variables whose objects this segment (or a descendant) mutates in place. */
  readonly mutates: readonly string[];
  readonly control: ControlFlow;
  /** Facts found in this segment's own code (not its children's). */
  readonly facts: readonly Fact[];
}

/**
 * value          plain data: serialised across a cut
 * store-handle   a capability (pg Pool, KVNamespace, env.DB): never serialised, every stop gets its own
 * resource       a handle holding session state (a pooled connection, a transaction): bound to the stop that opened it
 * request        a request-scoped framework object (Hono Context, Express req): its data crosses, its bindings are handles
 * unserializable functions, class instances with behaviour, promises, symbols…: forbid the cut
 */
export type ValueKind = 'value' | 'store-handle' | 'resource' | 'request' | 'unserializable';

export interface LiveVariable {
  /**
   * `name@file:line:column` of the declaration, stable across runs. Pseudo-variables:
   * `(return)` the value a segment or call returns, `(this)` the receiver it reads.
   */
  readonly id: string;
  readonly name: string;
  /** The checker's type, printed, at most 120 characters. */
  readonly type: string;
  readonly kind: ValueKind;
  /** Estimated serialised size in bytes (0 for handles). */
  readonly bytes: number;
  /** Why the value is not plain data (kind ≠ value), else null. */
  readonly reason: string | null;
  /**
   * For a handle a preset recognised (kind store-handle, resource or request): the preset
   * and the type's name (`{ preset: 'express', api: 'Response' }`), so codegen knows how
   * such a value crosses (an Express `req`/`res`) without reading the type's text. Absent
   * for every other variable.
   */
  readonly handle?: { readonly preset: string; readonly api: string };
  /**
   * For plain data (kind value): the structural schema of the type's values
   * (analyzer/value-schema.ts), which a stop's dispatch checks a crossing value against.
   * Absent for other kinds and where the type states nothing checkable.
   */
  readonly schema?: ValueSchema;
  readonly declared: SourceRange;
  /** Present (true) when the value carries a secret (analyzer/confidentiality.ts): it never crosses to an untrusted stop. */
  readonly secret?: true;
}

/** Control flow that leaves the segment other than by falling through. */
export interface ControlFlow {
  readonly returns: boolean;
  readonly throws: boolean;
  /** Labels of `break` targets outside the segment; '' for an unlabelled break. */
  readonly breaks: readonly string[];
  readonly continues: readonly string[];
  readonly awaits: boolean;
  readonly yields: boolean;
}

/**
 * secret        reads a secret: never on an untrusted stop
 * client-only   uses a client-only API (DOM, web storage): only on an untrusted (client) stop
 * server-only   uses a server-only API (fs, net, child_process): only at the last stop (origin)
 * pin           pinned by the config to `stop`
 * no-cut        may not be cut from its parent (the code says why: a resource, an unserialisable or aliased value, dynamic code…)
 * module-state  reads or writes module-level mutable state `variable`
 * integrity     decides or computes a write to a strong store (a guard of it, a value
 *               flowing into it): never on an untrusted stop
 */
export type FactKind = 'secret' | 'client-only' | 'server-only' | 'pin' | 'no-cut' | 'module-state' | 'integrity';

export interface Fact {
  readonly kind: FactKind;
  /** Catalog code (SL3xxx) that names the reason. */
  readonly code: string;
  readonly message: string;
  readonly range: SourceRange;
  /** For `pin`: the stop. */
  readonly stop: StopName | null;
  /** The variable the fact is about, if any. */
  readonly variable: string | null;
  readonly related: readonly RelatedNote[];
}

export type AccessOp = 'read' | 'write';

/** One call site that reads or writes a store, in one entry's tree. */
export interface Access {
  /** `<segment id>@<n>`. */
  readonly id: string;
  readonly entry: string;
  readonly segment: string;
  readonly store: string;
  readonly op: AccessOp;
  /** What was called, e.g. `pg Pool.query`, `KVNamespace.get`. */
  readonly api: string;
  readonly range: SourceRange;
  /** Expected executions per request (segment count × callback repetitions). */
  readonly count: number;
  /** `symbol`: matched through the type checker; `import-chain`: types missing, matched through imports. */
  readonly resolvedBy: 'symbol' | 'import-chain';
}
