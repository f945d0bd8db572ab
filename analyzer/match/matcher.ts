import { ts } from 'ts-morph';
import type { AccessOp, Diagnostic, Store } from '../../src/ir/index.js';
import { compareDiagnostics, diagnostic } from '../../src/diagnostics/index.js';
import type { CallRule, OpRule, Preset } from '../../src/presets/types.js';
import { nodeRange } from '../source-range.js';
import { resolveBindings, type ResolvedBinding } from './bindings.js';
import { DeclarationInfo, patternMatches } from './declaration.js';
import { moduleMatches, normaliseModule } from './glob.js';
import { HandleClassifier } from './handles.js';
import { ImportTable } from './imports.js';
import {
  calleeOf, globalChainText, isModuleSymbol, namedOf, resolveNamed, typeDisplayName, typeNames, type Named, type Resolved,
} from './resolve.js';
import { callRules, referenceRules, RuleIndex, type IndexedRule, type Site } from './rules.js';
import { classifySql, httpOp, knownText, skipOuterExpressions, sqlText } from './text.js';
import { findViaCall, importChainOf, traceReceiver, type TraceContext } from './trace.js';
import type { AccessMatch, CapabilityMatch, HandleMatch, MatchEnv, Matcher } from './types.js';

/** A rule that fits a call or reference, found by symbol or through the imports. */
export interface RuleHit {
  readonly rule: IndexedRule;
  readonly resolvedBy: 'symbol' | 'import-chain';
  readonly api: string;
  /** For import-chain hits: the module whose types are missing. */
  readonly module: string | null;
}

type CallLike = ts.CallExpression | ts.TaggedTemplateExpression;

/** What `RuleMatcher.prefilter` found. */
export interface Prefiltered {
  readonly candidates: readonly IndexedRule[];
  readonly site: Site;
  readonly sf: ts.SourceFile;
}

interface OwnCapability {
  readonly match: CapabilityMatch;
  readonly hit: RuleHit;
}

/**
 * The program-level half of matching, without stores: which preset rule a call or
 * reference resolves to. Shared by the matcher and by `detectPresets`.
 */
export class RuleMatcher {
  readonly decls: DeclarationInfo;
  readonly imports: ImportTable;
  readonly handles: HandleClassifier;
  readonly storeCalls: RuleIndex;
  readonly capabilityCalls: RuleIndex;
  readonly references: RuleIndex;

  /**
   * `activeStorePresets`: the store presets whose calls are worth resolving (those some
   * store uses); all store presets when omitted. Capability presets are always active.
   */
  constructor(
    readonly program: ts.Program,
    readonly checker: ts.TypeChecker,
    readonly presets: readonly Preset[],
    activeStorePresets?: ReadonlySet<string>,
  ) {
    this.decls = new DeclarationInfo(program);
    this.imports = new ImportTable(checker, program);
    this.handles = new HandleClassifier(presets, checker, this.decls);
    const isActiveStore = (p: Preset): boolean =>
      p.store !== null && p.capability === null && (!activeStorePresets || activeStorePresets.has(p.name));
    this.storeCalls = new RuleIndex(callRules(presets, isActiveStore), program, this.decls);
    this.capabilityCalls = new RuleIndex(callRules(presets, (p) => p.capability !== null), program, this.decls);
    this.references = new RuleIndex(referenceRules(presets), program, this.decls);
  }

  /** The first rule of `index` that a call's callee resolves to. */
  matchCallRule(index: RuleIndex, call: CallLike, pre?: Prefiltered | null): RuleHit | null {
    if (index.isEmpty) return null;
    const named = namedOf(skipOuterExpressions(calleeOf(call)));
    if (!named) return null;
    return this.matchNamed(index, named, call, pre === undefined ? this.prefilter(index, named) : pre);
  }

  /**
   * The cheap part of matching, no checker involved: the rules whose name could match,
   * or the unresolved import the access starts from. Null: nothing can match here.
   */
  prefilter(index: RuleIndex, named: Named): Prefiltered | null {
    if (index.isEmpty) return null;
    let lookup = named.name;
    let sf: ts.SourceFile | null = null;
    if (named.receiver === null && this.imports.mayBeRenamed(named.name)) {
      sf = named.nameNode.getSourceFile();
      const imported = this.imports.of(sf).get(named.name);
      if (imported && imported.imported !== 'default' && imported.imported !== '*') lookup = imported.imported;
    }
    const site = named.receiver === null ? 'identifier' : 'member';
    if (index.byName(lookup).length > 0) {
      sf ??= named.nameNode.getSourceFile();
      const candidates = index.candidates(lookup, site, sf);
      if (candidates.length > 0) return { candidates, site, sf };
    }
    if (!this.imports.anyUnresolved()) return null;
    const root = syntacticRoot(named);
    if (!root || !this.imports.mayBeUnresolved(root.text)) return null;
    sf ??= named.nameNode.getSourceFile();
    const binding = this.imports.of(sf).get(root.text);
    if (!binding || binding.resolved) return null;
    return { candidates: [], site, sf };
  }

  /** The first rule of `index` that an identifier or member access resolves to. */
  matchNamed(index: RuleIndex, named: Named, call: CallLike | null, pre: Prefiltered | null = this.prefilter(index, named)): RuleHit | null {
    if (!pre) return null;
    const resolved = resolveNamed(this.checker, named, call);
    if (resolved.declarations.length > 0) {
      if (resolved.symbol && isModuleSymbol(resolved.symbol)) return null;
      const rules = pre.candidates.length > 0 ? pre.candidates : index.candidates(resolved.name, pre.site, pre.sf);
      return this.bySymbol(rules, named, resolved);
    }
    return this.byImportChain(index, named);
  }

  private bySymbol(rules: readonly IndexedRule[], named: Named, resolved: Resolved): RuleHit | null {
    let receiverNames: readonly string[] | null = null;
    const receiver = named.receiver;
    const lazyNames = receiver
      ? (): readonly string[] => (receiverNames ??= typeNames(this.checker, receiver))
      : null;
    for (const rule of rules) {
      for (const decl of resolved.declarations) {
        const info = this.decls.of(decl);
        if (patternMatches(rule.match, info, resolved.name, rule.call ? lazyNames : null)) {
          return { rule, resolvedBy: 'symbol', api: this.apiName(named, resolved.name, info.module), module: null };
        }
      }
    }
    return null;
  }

  private byImportChain(index: RuleIndex, named: Named): RuleHit | null {
    const start = named.receiver ?? (ts.isIdentifier(named.nameNode) ? named.nameNode : null);
    if (!start) return null;
    const chain = importChainOf(this.checker, this.imports, start);
    if (!chain) return null;
    const module = chain.binding.module;
    const member = named.receiver ? named.name : chain.binding.imported;
    for (const rule of index.byPattern(member)) {
      if (rule.match.module !== null && moduleMatches(rule.match.module, module)) {
        // `PrismaClient.user.findMany`, `fs.readFileSync`; a namespace or default import is named by its module.
        const whole = chain.binding.imported === 'default' || chain.binding.imported === '*';
        const head = whole ? normaliseModule(module) : chain.binding.imported;
        const api = named.receiver ? [head, ...chain.path, member].join('.') : whole ? head : `${normaliseModule(module)}.${head}`;
        return { rule, resolvedBy: 'import-chain', api, module };
      }
    }
    return null;
  }

  /** `Pool.query`, `localStorage.getItem`, `process.env`, `fs.readFileSync`, `fetch`. */
  apiName(named: Named, name: string, module: string | null | undefined): string {
    const receiver = named.receiver;
    if (!receiver) return typeof module === 'string' ? `${module}.${name}` : name;
    const chain = globalChainText(this.checker, this.decls, receiver);
    if (chain) return `${chain}.${name}`;
    if (typeof module === 'string') {
      // `fs.existsSync`, `fsp.readFile`, `fs.promises.writeFile`: members of a module object.
      const typeSymbol = this.checker.getTypeAtLocation(receiver).getSymbol();
      if (typeSymbol && isModuleSymbol(typeSymbol)) return `${module}.${name}`;
    }
    const typeName = typeDisplayName(this.checker, receiver);
    return typeName ? `${typeName}.${name}` : name;
  }
}

/** Creates the matcher for one analysis: presets, stores and program are fixed. */
export function createMatcher(env: MatchEnv): Matcher {
  const core = new RuleMatcher(env.program, env.checker, env.presets, new Set(env.stores.map((s) => s.preset)));
  const { checker, rootDir } = env;
  const { resolved: bindings, missing } = resolveBindings(env.program, checker, rootDir, env.stores);
  const traceCtx: TraceContext = { checker, decls: core.decls, bindings, isHandle: (t) => core.handles.classify(t) !== null };

  const callCache = new Map<ts.Node, AccessMatch | null>();
  const ownCapabilityCache = new Map<ts.Node, OwnCapability | null>();
  const importChainDiags = new Map<string, Diagnostic>();
  const otherDiags = new Map<string, Diagnostic>();

  for (const store of missing) {
    otherDiags.set(`SL1013|${store.name}`, diagnostic('SL1013', env.storeRanges?.get(store.name) ?? null, { binding: store.binding ?? '', store: store.name }));
  }

  const noteImportChain = (module: string, api: string, node: ts.Node): void => {
    const range = nodeRange(rootDir, node);
    const key = `${module}|${api}`;
    const prev = importChainDiags.get(key);
    const d = diagnostic('SL2003', range, { module, api });
    if (!prev || compareDiagnostics(d, prev) < 0) importChainDiags.set(key, d);
  };

  const selectStore = (hit: RuleHit, call: CallLike): Store | null => {
    const preset = hit.rule.preset.name;
    const candidates = env.stores.filter((s) => s.preset === preset);
    if (candidates.length === 0) return null;
    const rule = hit.rule.call;
    if (rule?.url) {
      const arg = ts.isCallExpression(call) ? call.arguments[rule.url.argument] : undefined;
      const url = arg ? knownText(checker, arg) : null;
      if (!url) return null;
      let best: Store | null = null;
      for (const s of candidates) {
        if (s.urlPrefix === null || s.urlPrefix === '' || !url.text.startsWith(s.urlPrefix)) continue;
        if (!best || (s.urlPrefix.length > (best.urlPrefix ?? '').length)) best = s;
      }
      return best;
    }
    const bound = candidates.filter((s) => s.binding !== null);
    const unbound = candidates.filter((s) => s.binding === null);
    if (bound.length === 0) return unbound.length === 1 ? (unbound[0] ?? null) : null;
    const receiver = receiverOf(call);
    const relevant: readonly ResolvedBinding[] = bindings.filter((b) => b.store.preset === preset);
    const trace = receiver ? traceReceiver({ ...traceCtx, bindings: relevant }, receiver) : ({ kind: 'unknown' } as const);
    if (trace.kind === 'binding') return trace.store;
    if (unbound.length === 1) return unbound[0] ?? null;
    if (trace.kind === 'unknown') {
      const range = nodeRange(rootDir, call);
      const stores = bound.map((s) => `'${s.name}'`).join(', ');
      otherDiags.set(`SL2040|${range.file}:${range.start.line}:${range.start.column}`, diagnostic('SL2040', range, { api: hit.api, stores, preset }));
    }
    return null;
  };

  const computeCall = (call: CallLike, pre: Prefiltered): AccessMatch | null => {
    const hit = core.matchCallRule(core.storeCalls, call, pre);
    if (!hit || !hit.rule.call) return null;
    const store = selectStore(hit, call);
    if (!store) return null;
    if (hit.resolvedBy === 'import-chain' && hit.module !== null) noteImportChain(hit.module, hit.api, call);
    const named = namedOf(skipOuterExpressions(calleeOf(call)));
    const op = opOf(checker, hit.rule.call, call, named?.name ?? '');
    return { store: store.name, preset: hit.rule.preset.name, op, api: hit.api, resolvedBy: hit.resolvedBy };
  };

  const capabilityOf = (hit: RuleHit | null): OwnCapability | null => {
    const capability = hit?.rule.preset.capability;
    if (!hit || !capability) return null;
    return { match: { capability, preset: hit.rule.preset.name, api: hit.api }, hit };
  };

  /** The node's own match, ignoring whether an enclosing node already reports it. */
  const ownCapability = (node: ts.Node): OwnCapability | null => {
    // The name filter first: most nodes stop here, without the checker and without a cache entry.
    let index: RuleIndex;
    let named: Named | null;
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
      index = core.capabilityCalls;
      named = namedOf(skipOuterExpressions(calleeOf(node)));
    } else if (ts.isIdentifier(node)) {
      index = core.references;
      const parent = node.parent;
      named = parent && ts.isPropertyAccessExpression(parent) && parent.name === node ? null : { nameNode: node, name: node.text, receiver: null };
    } else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      index = core.references;
      named = namedOf(node);
    } else {
      return null;
    }
    if (!named) return null;
    const pre = core.prefilter(index, named);
    if (!pre) return null;

    const cached = ownCapabilityCache.get(node);
    if (cached !== undefined) return cached;
    let result: OwnCapability | null = null;
    if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
      result = capabilityOf(core.matchNamed(index, named, node, pre));
    } else if (!isTypeofOperand(node) && (ts.isIdentifier(node) ? isValueReference(node) : !isInTypePosition(node))) {
      result = capabilityOf(core.matchNamed(index, named, null, pre));
    }
    ownCapabilityCache.set(node, result);
    return result;
  };

  const computeCapability = (node: ts.Node): CapabilityMatch | null => {
    const own = ownCapability(node);
    if (!own) return null;
    const capability = own.match.capability;
    const parent = node.parent;
    if (parent) {
      // The callee of a call that matches a call rule: the call reports it.
      if ((ts.isCallExpression(parent) && parent.expression === node) || (ts.isTaggedTemplateExpression(parent) && parent.tag === node)) {
        if (ownCapability(parent)?.match.capability === capability) return null;
      }
      // `document` in `document.title`: the outer access reports it.
      if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === node) {
        if (ownCapability(parent)?.match.capability === capability) return null;
      }
    }
    if (own.hit.resolvedBy === 'import-chain' && own.hit.module !== null) noteImportChain(own.hit.module, own.hit.api, node);
    return own.match;
  };

  return {
    isStoreMemberName: (name) => core.storeCalls.byName(name).length > 0,
    matchCall(call) {
      // The name filter first: most calls stop here, without the checker and without a cache entry.
      const named = namedOf(skipOuterExpressions(calleeOf(call)));
      const pre = named ? core.prefilter(core.storeCalls, named) : null;
      if (!pre) return null;
      const cached = callCache.get(call);
      if (cached !== undefined) return cached;
      const result = computeCall(call, pre);
      callCache.set(call, result);
      return result;
    },
    matchCapability(node) {
      return computeCapability(node);
    },
    classifyType(type: ts.Type): HandleMatch | null {
      return core.handles.classify(type);
    },
    diagnostics() {
      return [...importChainDiags.values(), ...otherDiags.values()].sort(compareDiagnostics);
    },
  };
}

/** The identifier an access starts from, syntactically: `prisma` in `prisma.user.findMany`. */
function syntacticRoot(named: Named): ts.Identifier | null {
  let e: ts.Expression = named.receiver ?? (named.nameNode as ts.Expression);
  for (let i = 0; i < 8; i++) {
    e = skipOuterExpressions(e);
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || ts.isCallExpression(e) || ts.isNewExpression(e)) {
      e = e.expression;
      continue;
    }
    break;
  }
  return ts.isIdentifier(e) ? e : null;
}

function receiverOf(call: CallLike): ts.Expression | null {
  const named = namedOf(skipOuterExpressions(calleeOf(call)));
  return named?.receiver ?? null;
}

function opOf(checker: ts.TypeChecker, rule: CallRule, call: CallLike, member: string): AccessOp {
  const op: OpRule = rule.op;
  if (op === 'read' || op === 'write') return op;
  const args: readonly ts.Expression[] = ts.isCallExpression(call) ? call.arguments : [call.template];
  if ('sql' in op) {
    if (op.sql.via !== undefined) {
      const receiver = receiverOf(call);
      const via = receiver ? findViaCall(checker, receiver, op.sql.via) : null;
      return classifySql(via ? sqlText(checker, via.arguments[op.sql.argument]) : null);
    }
    // A tagged template (`$queryRaw\`SELECT …\``) carries its SQL in the template.
    return classifySql(sqlText(checker, args[op.sql.argument]));
  }
  if ('http' in op) return httpOp(checker, args[op.http.argument]);
  return op.member.reads.some((prefix) => member.startsWith(prefix)) ? 'read' : 'write';
}

/** An identifier that reads a value: not a declaration name, not a type, not a label, not `typeof x`. */
function isValueReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id) return false;
  if (ts.isQualifiedName(parent)) return false;
  if (ts.isShorthandPropertyAssignment(parent)) return true;
  if ((parent as { name?: ts.Node }).name === id) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false;
  if (ts.isPropertyAssignment(parent) && parent.name === id) return false;
  if (ts.isLabeledStatement(parent) || ts.isBreakOrContinueStatement(parent)) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return false;
  return !isInTypePosition(id);
}

/** `typeof window`, `typeof window.matchMedia`: a feature test, not a use. */
function isTypeofOperand(node: ts.Node): boolean {
  let n = node;
  while (n.parent && (ts.isPropertyAccessExpression(n.parent) || ts.isElementAccessExpression(n.parent) || ts.isParenthesizedExpression(n.parent)) && n.parent.expression === n) {
    n = n.parent;
  }
  return !!n.parent && ts.isTypeOfExpression(n.parent);
}

function isInTypePosition(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isTypeNode(n) || ts.isHeritageClause(n)) return true;
    if (ts.isStatement(n) || ts.isSourceFile(n) || ts.isFunctionLike(n) || ts.isClassLike(n)) return false;
  }
  return false;
}
