import { ts } from 'ts-morph';
import type { Entry, Segment, ServedEntry, SourceRange } from '../../src/ir/index.js';
import { diagnostic } from '../../src/diagnostics/index.js';
import type { ExpressAppRef } from './express-app.js';
import { CodegenProblem } from './problem.js';
import type { Edit, ParsedFile, Span } from './text.js';

/**
 * Express route entries in the split program.
 *
 * Served: a route entry arrives at a stop as a request to the project's Express
 * application (express-app.ts finds it): the stop serves `entry:<name>` by running the
 * whole application on the request (`serve: 'express'`, the Express lowering's
 * `serveExpress`), so the body parser, the other middleware and the error handlers run as
 * in production, and the route's handler where the application's router finds it.
 *
 * Forwarded whole (the root placed away from the arrival stop, "the request itself
 * crosses"): the root is the handler's body, and the route's middleware is part of the
 * entry's tree ahead of it (requireAuth), so the whole route moves — not only the anonymous
 * handler, which nothing could call by name. Where the route is registered,
 *
 *   router.put('/api/articles/:slug', requireAuth, async (req, res) => {…});
 *
 * the arrival stop's copy registers one forwarding handler instead of the route's
 * functions, which sends `req` and `res` to the root's stop (they cross as
 * express-crossing.ts says) and continues as the route ended there:
 *
 *   router.put('/api/articles/:slug', async (req, res, next) => { const how = await call(root stop, root, { req, res }); … next() … });
 *
 * and the root's stop keeps the registration and remembers its functions, which its
 * dispatch function runs as the route would (the lowering's `runRoute`: Express 5's route
 * dispatch on the crossed req/res; a throw or a rejected promise is the completion's throw,
 * so the arrival stop's error handlers answer it as before):
 *
 *   router.put('/api/articles/:slug', ...__sl_keep_<h>([requireAuth, async (req, res) => {…}]));
 *   export async function __sl_<root>(__in) { … runRoute(__sl_route_<h>, __in.req, __in.res, path) … }
 *
 * The registration must be a call `<router>.<method>('<path>', …functions)` whose last
 * argument is the handler; anything else is SL5002.
 */

const js = (value: string): string => JSON.stringify(value);

/** The served entry of an Express route at its arrival stop. */
export function servedExpressEntry(entry: Entry, app: ExpressAppRef): ServedEntry {
  return { name: entry.name, file: app.file, exportName: app.exportName, serve: 'express' };
}

/** The app, or SL5010 at the entry when the sources export none or several. */
export function requireExpressApp(apps: readonly ExpressAppRef[], entry: Entry): ExpressAppRef {
  if (apps.length === 1) return apps[0]!;
  throw new CodegenProblem(diagnostic('SL5010', entry.handler.range, { entry: entry.name, found: apps.length === 0 ? 'none' : apps.map((a) => `${a.file}#${a.exportName}`).join(', ') }));
}

/** The registration call of a route handler: `x.method('path', …fns, handler)`. */
function registration(file: ParsedFile, handler: Span): { call: ts.CallExpression; functions: ts.NodeArray<ts.Expression> } | null {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    const start = node.getStart(file.ast);
    if (start > handler.start || node.end < handler.end) return;
    if (start === handler.start && node.end === handler.end && ts.isFunctionLike(node)) found = node;
    node.forEachChild(visit);
  };
  file.ast.forEachChild(visit);
  let at: ts.Node | undefined = found;
  while (at && (ts.isParenthesizedExpression(at.parent) || ts.isAsExpression(at.parent) || ts.isSatisfiesExpression(at.parent))) at = at.parent;
  const call = at?.parent;
  if (!at || !call || !ts.isCallExpression(call) || call.arguments[call.arguments.length - 1] !== at) return null;
  if (!ts.isPropertyAccessExpression(call.expression) || call.arguments.length < 2 || !ts.isStringLiteralLike(call.arguments[0]!)) return null;
  return { call, functions: call.arguments };
}

export interface ForwardedRoute {
  /** At the arrival stop: the route's functions replaced by the forwarder. */
  readonly arrivalEdits: Edit[];
  /** At the root's stop: the functions remembered where they are registered. */
  readonly rootEdits: Edit[];
  /** At the root's stop: appended to the file (import, holder, dispatch function). */
  readonly rootAppended: string[];
  readonly exportName: string;
}

export function forwardExpressRoute(entry: Entry, root: Segment, rootStop: string, file: ParsedFile, handler: Span, exportName: string): ForwardedRoute {
  const found = registration(file, handler);
  if (found === null) throw new CodegenProblem(diagnostic('SL5002', entry.handler.range, { entry: entry.name }));
  const fns = found.functions.slice(1);
  const first = fns[0]!.getStart(file.ast);
  const last = fns[fns.length - 1]!.end;
  const holder = exportName.replace(/^__sl_/, '__sl_route_');
  const keep = exportName.replace(/^__sl_/, '__sl_keep_');
  const path = (found.functions[0] as ts.StringLiteralLike).text;
  const forwarder = [
    'async (req: any, res: any, next: any) => {',
    `  const __how = ((await __sl.call(${js(rootStop)}, ${js(root.id)}, { req, res })) as { value: any }).value;`,
    "  if (__how === 'next') next();",
    "  else if (__how === 'router') next('router');",
    '}',
  ].join('\n');
  return {
    arrivalEdits: [{ start: first, end: last, text: forwarder }],
    rootEdits: [
      { start: first, end: first, text: `...${keep}([` },
      { start: last, end: last, text: '])' },
    ],
    rootAppended: [
      `var ${holder}: any[];`,
      `function ${keep}(fns: any[]): any[] {\n  ${holder} = fns;\n  return fns;\n}`,
      `export async function ${exportName}(__in: Record<string, unknown>): Promise<__sl.Completion> {\n  return { kind: 'return', value: await __sl_runRoute(${holder}, __in["req"], __in["res"], ${js(path)}), liveOuts: {} };\n}`,
    ],
    exportName,
  };
}

/** The import every file with a forwarded route needs at the root's stop (the Express lowering's route runner). */
export const RUN_ROUTE_IMPORT = "import { __stopline_runRoute as __sl_runRoute } from 'express';";

/** Whether a live variable is Express's `req` or `res` (they cross by the lowering's crossing). */
export function isExpressRequestObject(v: { readonly handle?: { readonly preset: string; readonly api: string } } | undefined): boolean {
  return v?.handle?.preset === 'express' && (v.handle.api === 'Request' || v.handle.api === 'Response');
}

export type { SourceRange };
