import { findExpressApps } from '../../outline/express-app.js';
import { js, unavailableModule, type FrameworkLowering } from './types.js';

/**
 * Express 5 inside a component (codegen/lower/express.ts): what `import express from
 * 'express'` gives, and how a stop serves a route entry (`serve: 'express'`: the
 * project's application run on the request, `__stopline_serve`). Its `req`/`res` cross
 * cuts through the lowering's crossing (codegen/lower/express-crossing.ts), and a route
 * forwarded whole runs at the other stop with `__stopline_runRoute`. The application the
 * sources export (codegen/outline/express-app.ts) is bound once loaded, so objects that
 * cross to this stop use its settings.
 */
export const expressLowering: FrameworkLowering = {
  preset: 'express',
  lower(ctx) {
    if (ctx.world !== 'server') return { modules: { express: unavailableModule('express', 'a client stop serves no Express application') } };
    const module = [
      `import { createExpressModule, serveExpress } from ${js(ctx.lowering('express'))};`,
      `import { createExpressCrossing, runRoute } from ${js(ctx.lowering('express-crossing'))};`,
      'const express = createExpressModule();',
      'let app = null;',
      'export const __stopline_setApp = (a) => { app = a; };',
      'export const __stopline_serve = serveExpress;',
      'export const __stopline_runRoute = runRoute;',
      'export const __stopline_crossing = createExpressCrossing({ app: () => app });',
      'export const { Router, Route, json, urlencoded, text, raw } = express;',
      'const serveStatic = express.static;',
      'export { serveStatic as static };',
      'export default express;',
    ].join('\n');
    const apps = findExpressApps(ctx.sources);
    const bindings = apps.length === 1 ? [{ file: apps[0]!.file, name: apps[0]!.exportName, imports: ['import { __stopline_setApp } from "express";'], statement: (handle: string) => `__stopline_setApp(${handle});` }] : [];
    return {
      modules: { express: module },
      bindings,
      crossings: { imports: ['import { __stopline_crossing as __stopline_crossing_express } from "express";'], expressions: ['__stopline_crossing_express'] },
      servers: { express: { imports: ['import { __stopline_serve as __stopline_serve_express } from "express";'], call: '__stopline_serve_express' } },
    };
  },
};
