import path from 'node:path';
import { ts } from 'ts-morph';
import type { EntrySource, Line, SourceRange, StopName } from '../src/ir/index.js';
import type { EntryConfig } from '../src/config/types.js';
import { diagnostic } from '../src/diagnostics/index.js';
import type { DiagnosticSink } from './context.js';
import { isFunctionLike } from './frame.js';
import { nodeRange, rangeOf, relativeFile } from './source-range.js';
import { functionName } from './tree.js';

export type FunctionWithBody = ts.FunctionLikeDeclaration & { readonly body: ts.Node };

/** An entry found in config or code, still holding its handler's syntax. */
export interface FoundEntry {
  readonly name: string;
  readonly arrives: StopName;
  readonly source: EntrySource;
  readonly handler: FunctionWithBody;
  readonly middleware: readonly FunctionWithBody[];
  readonly route: { readonly method: string; readonly path: string } | null;
}

const routeMethods = new Map([
  ['get', 'GET'], ['post', 'POST'], ['put', 'PUT'], ['patch', 'PATCH'], ['delete', 'DELETE'],
  ['head', 'HEAD'], ['options', 'OPTIONS'], ['all', 'ALL'],
]);

interface EntryInput {
  readonly rootDir: string;
  readonly checker: ts.TypeChecker;
  readonly sourceFiles: readonly ts.SourceFile[];
  readonly line: Line;
  readonly configured: readonly EntryConfig[];
  readonly diagnostics: DiagnosticSink;
}

/**
 * Entries, in this order of authority: stopline.yaml (functions and route overrides),
 * `@stopline entry <stop>` JSDoc tags, `export default { fetch }` handlers and
 * `addEventListener('fetch', …)`, Hono and Express route registrations. Found
 * automatically, an entry arrives at the first trusted stop (the edge on the default
 * line). The same handler found twice is one entry; the config's name and stop win.
 */
export function findEntries(input: EntryInput): FoundEntry[] {
  const { line, diagnostics } = input;
  const defaultStop = line.stops.find((s) => s.trusted)?.name ?? line.stops[line.stops.length - 1]?.name ?? 'origin';
  const stopNames = line.stops.map((s) => s.name);
  const found: FoundEntry[] = [];
  const routes: FoundEntry[] = [];
  for (const sf of input.sourceFiles) scanFile(input, sf, defaultStop, stopNames, found, routes);

  const byHandler = new Map<ts.Node, FoundEntry>();
  const result: FoundEntry[] = [];
  const add = (e: FoundEntry): void => {
    const previous = byHandler.get(e.handler);
    if (previous) return;
    byHandler.set(e.handler, e);
    result.push(e);
  };
  for (const config of input.configured) {
    if (config.function) {
      const handler = resolveConfiguredFunction(input, config);
      // With `route:` too, the function is served at that route over HTTP (recorded in the graph and the manifest).
      if (handler) add({ name: config.name ?? config.function.name, arrives: config.arrives, source: 'config', handler, middleware: [], route: config.route });
    } else if (config.route) {
      const { method, path: routePath } = config.route;
      const matches = routes.filter((r) => r.route && r.route.method === method && r.route.path === routePath);
      if (matches.length === 0) {
        diagnostics.add(diagnostic('SL1050', config.at, { route: `${method} ${routePath}` }));
      }
      for (const m of matches) add({ ...m, name: config.name ?? m.name, arrives: config.arrives, source: m.source });
    }
  }
  for (const e of found) add(e);
  for (const e of routes) add(e);
  return disambiguate(input.rootDir, result, diagnostics, input.configured);
}

function scanFile(input: EntryInput, sf: ts.SourceFile, defaultStop: StopName, stops: readonly string[], found: FoundEntry[], routes: FoundEntry[]): void {
  const { rootDir, checker, diagnostics } = input;
  const visit = (node: ts.Node): void => {
    // @stopline entry <stop>
    const tagged = taggedFunction(node);
    if (tagged) {
      for (const tag of ts.getJSDocTags(node)) {
        if (tag.tagName.text !== 'stopline') continue;
        const words = (ts.getTextOfJSDocComment(tag.comment) ?? '').trim().split(/\s+/).filter(Boolean);
        const at = tagRange(rootDir, tag);
        if (words[0] !== 'entry' || words.length !== 2 || words[1] === undefined) {
          diagnostics.add(diagnostic('SL2007', at, { detail: 'expected `@stopline entry <stop>`' }));
          continue;
        }
        if (!stops.includes(words[1])) {
          diagnostics.add(diagnostic('SL2006', at, { stop: words[1], stops: stops.join(', ') }));
          continue;
        }
        if (tagged.body) found.push({ name: functionName(tagged), arrives: words[1], source: 'jsdoc', handler: tagged as FunctionWithBody, middleware: [], route: null });
      }
    }
    // export default { fetch(request, env, ctx) { … } }
    if (ts.isExportAssignment(node) && !node.isExportEquals && ts.isObjectLiteralExpression(node.expression)) {
      for (const property of node.expression.properties) {
        const name = property.name && ts.isIdentifier(property.name) ? property.name.text : null;
        if (name !== 'fetch') continue;
        const fn = ts.isMethodDeclaration(property) ? property
          : ts.isPropertyAssignment(property) ? functionOf(checker, property.initializer)
          : ts.isShorthandPropertyAssignment(property) ? functionOf(checker, property.name) : null;
        if (fn?.body) found.push({ name: 'fetch', arrives: defaultStop, source: 'fetch-handler', handler: fn as FunctionWithBody, middleware: [], route: null });
      }
    }
    if (ts.isCallExpression(node)) {
      // addEventListener('fetch', (event) => …)
      if (ts.isIdentifier(node.expression) && node.expression.text === 'addEventListener' && node.arguments.length >= 2) {
        const [kind, listener] = node.arguments;
        if (kind && ts.isStringLiteralLike(kind) && kind.text === 'fetch' && listener) {
          const fn = functionOf(checker, listener);
          if (fn?.body) found.push({ name: 'fetch', arrives: defaultStop, source: 'fetch-handler', handler: fn as FunctionWithBody, middleware: [], route: null });
        }
      }
      const route = routeOf(input, node, defaultStop);
      if (route) routes.push(route);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}

/** The tag's own text: `@stopline entry moon`, without the white space up to the next line or the comment's end. */
function tagRange(rootDir: string, tag: ts.JSDocTag): SourceRange {
  const sf = tag.getSourceFile();
  const start = tag.getStart(sf);
  let end = tag.getEnd();
  while (end > start && /\s/.test(sf.text.charAt(end - 1))) end--;
  return rangeOf(rootDir, sf, start, end);
}

/** `app.get('/x', mw, handler)` on a Hono app or an Express application or router. */
function routeOf(input: EntryInput, call: ts.CallExpression, defaultStop: StopName): FoundEntry | null {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee)) return null;
  const method = routeMethods.get(callee.name.text);
  const first = call.arguments[0];
  if (!method || !first || !ts.isStringLiteralLike(first) || call.arguments.length < 2) return null;
  const framework = frameworkOf(input.checker, callee.expression);
  if (!framework) return null;
  const functions: FunctionWithBody[] = [];
  for (const arg of call.arguments.slice(1)) {
    const fn = functionOf(input.checker, arg);
    if (fn?.body) functions.push(fn as FunctionWithBody);
    else input.diagnostics.add(diagnostic('SL2010', nodeRange(input.rootDir, arg), { route: `${method} ${first.text}` }));
  }
  const handler = functions.pop();
  if (!handler) return null;
  return { name: `${method} ${first.text}`, arrives: defaultStop, source: framework, handler, middleware: functions, route: { method, path: first.text } };
}

function frameworkOf(checker: ts.TypeChecker, receiver: ts.Expression): 'hono' | 'express' | null {
  const type = checker.getTypeAtLocation(receiver);
  const symbols = [type.getSymbol(), type.aliasSymbol, ...(type.isIntersection() ? type.types.map((t) => t.getSymbol()) : [])];
  for (const symbol of symbols) {
    for (const decl of symbol?.declarations ?? []) {
      const file = decl.getSourceFile().fileName;
      if (/\/node_modules\/hono\//.test(file)) return 'hono';
      if (/\/node_modules\/(@types\/express|@types\/express-serve-static-core|express)\//.test(file)) return 'express';
    }
  }
  return null;
}

/** The function an expression denotes: a function expression, or a name bound to one. */
function functionOf(checker: ts.TypeChecker, expr: ts.Node): ts.FunctionLikeDeclaration | null {
  let e: ts.Node = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  if (isFunctionLike(e)) return e;
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return null;
  // `{ fetch }`: the name of a shorthand property is the property; its value is the binding of the same name.
  let symbol = e.parent && ts.isShorthandPropertyAssignment(e.parent) && e.parent.name === e
    ? checker.getShorthandAssignmentValueSymbol(e.parent)
    : checker.getSymbolAtLocation(e);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  for (const decl of symbol?.declarations ?? []) {
    if (isFunctionLike(decl) && decl.body) return decl;
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = decl.initializer;
      if (isFunctionLike(init)) return init;
    }
  }
  return null;
}

function taggedFunction(node: ts.Node): ts.FunctionLikeDeclaration | null {
  if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) return node;
  if (ts.isVariableStatement(node)) {
    const decl = node.declarationList.declarations[0];
    const init = decl?.initializer;
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init;
  }
  return null;
}

function resolveConfiguredFunction(input: EntryInput, config: EntryConfig): FunctionWithBody | null {
  const target = config.function;
  if (!target) return null;
  const wanted = path.resolve(input.rootDir, target.file);
  const sf = input.sourceFiles.find((f) => path.resolve(f.fileName) === wanted);
  const entryName = config.name ?? target.name;
  if (!sf) {
    input.diagnostics.add(diagnostic('SL1009', config.at, { entry: entryName, file: target.file }));
    return null;
  }
  const fn = findFunctionInFile(input.checker, sf, target.name);
  if (!fn) {
    input.diagnostics.add(diagnostic('SL1010', config.at, { entry: entryName, file: target.file, name: target.name }));
    return null;
  }
  return fn;
}

/** A top-level function, exported binding or class method (`Class.method`) named `name` in `sf`. */
export function findFunctionInFile(checker: ts.TypeChecker, sf: ts.SourceFile, name: string): FunctionWithBody | null {
  const [head, member] = name.split('.', 2);
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  const exported = moduleSymbol ? checker.getExportsOfModule(moduleSymbol).find((s) => s.getName() === head) : undefined;
  const candidates: ts.Declaration[] = [];
  if (exported) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    candidates.push(...(target.declarations ?? []));
  }
  for (const statement of sf.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === head) candidates.push(statement);
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && d.name.text === head) candidates.push(d);
    }
    if (ts.isClassDeclaration(statement) && statement.name?.text === head) candidates.push(statement);
  }
  for (const decl of candidates) {
    if (member !== undefined) {
      if (ts.isClassDeclaration(decl)) {
        const method = decl.members.find((m) => ts.isMethodDeclaration(m) && m.name.getText() === member);
        if (method && ts.isMethodDeclaration(method) && method.body) return method as FunctionWithBody;
      }
      continue;
    }
    if (isFunctionLike(decl) && decl.body) return decl as FunctionWithBody;
    if (ts.isVariableDeclaration(decl) && decl.initializer && isFunctionLike(decl.initializer) && decl.initializer.body) {
      return decl.initializer as FunctionWithBody;
    }
  }
  return null;
}

/** Entry names are unique: two automatic entries with one name get their file as a prefix. */
function disambiguate(rootDir: string, entries: FoundEntry[], diagnostics: DiagnosticSink, configured: readonly EntryConfig[]): FoundEntry[] {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
  const out: FoundEntry[] = [];
  const reported = new Set<string>();
  for (const e of entries) {
    if ((counts.get(e.name) ?? 0) <= 1) {
      out.push(e);
      continue;
    }
    if (e.source === 'config') {
      if (!reported.has(e.name)) {
        reported.add(e.name);
        const at: SourceRange | null = configured.find((c) => (c.name ?? c.function?.name) === e.name)?.at ?? null;
        diagnostics.add(diagnostic('SL2005', at, { entry: e.name }));
      }
      continue;
    }
    out.push({ ...e, name: `${relativeFile(rootDir, e.handler.getSourceFile().fileName)}#${e.name}` });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
