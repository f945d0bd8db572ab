#!/usr/bin/env node
// Deterministic generator of a synthetic but realistic TypeScript service for stopline's
// benchmarks. No dependencies: a seeded PRNG drives every choice, so the same
// (lines, seed) gives byte-identical files on every run and machine.
//
//   node bench/generate.mjs [--lines 50000] [--seed 1] [--out bench/out/svc-50000]
//
// The service is a Cloudflare-Workers-style API over Postgres (`pg`) and two KV namespaces:
//
//   src/db.ts, env.ts, errors.ts, http.ts, util.ts, auth.ts   shared infrastructure
//   src/domains/<noun>/model.ts     types, row mapping, validation, pure helpers
//   src/domains/<noun>/repo.ts      pool.query / env.CACHE data access
//   src/domains/<noun>/service.ts   business logic: calls repos, helpers and earlier domains
//   src/handlers/<noun>.ts          exported handlers tagged `/** @stopline entry edge */`
//
// Every call goes to a function defined earlier (an earlier domain, or earlier in the same
// file), so imports form a DAG; recursion is explicit (self-recursive helpers, mutually
// recursive service pairs). Function bodies are built from a tiny typed scope so that every
// call's arguments have the right types: the output type-checks under `strict`.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from './rng.mjs';

// ---------------------------------------------------------------------------------------
// Words

const NOUNS = [
  'account', 'order', 'product', 'invoice', 'cart', 'shipment', 'payment', 'review', 'coupon',
  'subscription', 'ticket', 'project', 'task', 'team', 'workspace', 'folder', 'vendor',
  'warehouse', 'booking', 'room', 'venue', 'article', 'author', 'course', 'lesson',
  'enrollment', 'device', 'alert', 'quote', 'contract', 'lead', 'campaign', 'asset', 'license',
  'refund', 'supplier', 'category', 'profile', 'address', 'channel', 'webhook', 'menu',
  'recipe', 'driver', 'vehicle', 'claim', 'policy', 'patient', 'visit', 'survey', 'badge',
  'invitation', 'payout', 'ledger', 'budget', 'milestone', 'sprint', 'incident', 'membership',
  'listing', 'auction', 'bid', 'playlist', 'track', 'album', 'station', 'sensor', 'tenant',
];

const STATUS_SETS = [
  ['pending', 'active', 'suspended', 'closed'],
  ['draft', 'published', 'archived', 'deleted'],
  ['open', 'assigned', 'resolved', 'rejected'],
  ['new', 'processing', 'shipped', 'cancelled'],
  ['trial', 'paid', 'overdue', 'expired'],
  ['queued', 'running', 'done', 'failed'],
];

const EXTRA_FIELDS = [
  { name: 'priority', ts: 'number' },
  { name: 'region', ts: 'string' },
  { name: 'verified', ts: 'boolean' },
  { name: 'weight', ts: 'number' },
  { name: 'currency', ts: 'string' },
  { name: 'rating', ts: 'number' },
  { name: 'locale', ts: 'string' },
  { name: 'featured', ts: 'boolean' },
  { name: 'discount', ts: 'number' },
  { name: 'externalRef', ts: 'string' },
];

const QUALIFIERS = [
  { word: 'Recent', sql: "created_at > now() - interval '30 days'" },
  { word: 'Tagged', sql: 'cardinality(tags) > 0' },
  { word: 'Large', sql: 'amount > 1000' },
  { word: 'Bulk', sql: 'quantity > 100' },
  { word: 'Child', sql: 'parent_id IS NOT NULL' },
  { word: 'Root', sql: 'parent_id IS NULL' },
  { word: 'Stale', sql: "updated_at < now() - interval '90 days'" },
  { word: 'Fresh', sql: "updated_at > now() - interval '1 day'" },
  { word: 'Small', sql: 'amount < 10' },
  { word: 'Named', sql: "name <> ''" },
];

const NUM_NAMES = ['total', 'score', 'weight', 'limit', 'offset', 'budget', 'delta', 'ratio', 'factor', 'span', 'cost', 'rank'];
const STR_NAMES = ['label', 'summary', 'note', 'slug', 'title', 'code', 'digest', 'caption', 'marker'];
const BOOL_NAMES = ['allowed', 'valid', 'ready', 'eligible', 'visible', 'complete', 'urgent'];
const STR_LITERALS = ['primary', 'default', 'standard', 'internal', 'external', 'express', 'basic'];

const sq = (s) => (s.includes("'") ? `"${s}"` : `'${s}'`);
const pascal = (s) => s[0].toUpperCase() + s.slice(1);
const snake = (s) => s.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
function plural(s) {
  if (/[^aeiou]y$/.test(s)) return s.slice(0, -1) + 'ies';
  if (/(s|x|ch|sh)$/.test(s)) return s + 'es';
  return s + 's';
}

// ---------------------------------------------------------------------------------------
// Code writer

class Writer {
  constructor() {
    this.lines = [];
    this.depth = 0;
  }
  line(s = '') {
    this.lines.push(s === '' ? '' : '  '.repeat(this.depth) + s);
  }
  open(s) {
    this.line(s + ' {');
    this.depth++;
  }
  close(s = '}') {
    this.depth--;
    this.line(s);
  }
  mid(s) {
    // `} else {`, `} catch (err) {`
    this.depth--;
    this.line(s);
    this.depth++;
  }
  text() {
    return this.lines.join('\n') + '\n';
  }
}

// ---------------------------------------------------------------------------------------
// Types of the mini type system used to pick call arguments.
//   'string' 'id' 'owner'    strings (ids and owner ids are kept apart so calls make sense)
//   'number' 'boolean' 'strs' (string[]) 'unknown' 'env' 'void' 'nullableId'
//   'E:<d>' entity, 'Es:<d>' entity[], 'En:<d>' entity | null, 'In:<d>' input, 'St:<d>' status

const dom = (t) => t.slice(t.indexOf(':') + 1);
const kind = (t) => (t.includes(':') ? t.slice(0, t.indexOf(':')) : t);

class Scope {
  constructor(fn, parent = null) {
    this.fn = fn; // shared per function: { names: Set, rng }
    this.parent = parent;
    this.vars = []; // { name, t, mutable }
  }
  child() {
    return new Scope(this.fn, this);
  }
  all() {
    return this.parent ? [...this.parent.all(), ...this.vars] : [...this.vars];
  }
  add(name, t, mutable = false) {
    this.fn.names.add(name);
    this.vars.push({ name, t, mutable });
    return name;
  }
  fresh(base) {
    let name = base;
    for (let i = 2; this.fn.names.has(name); i++) name = base + i;
    this.fn.names.add(name);
    return name;
  }
  of(pred) {
    return this.all().filter((v) => pred(v.t));
  }
  has(t) {
    return this.of((x) => x === t).length > 0;
  }
  accumulators() {
    return this.all().filter((v) => v.mutable && v.t === 'number');
  }
  entities() {
    return this.of((t) => kind(t) === 'E');
  }
  /** An expression of type t from what is in scope, or null. */
  expr(t, rng) {
    const vars = this.all();
    const ents = vars.filter((v) => kind(v.t) === 'E');
    const lists = vars.filter((v) => kind(v.t) === 'Es');
    const opts = [];
    switch (kind(t)) {
      case 'string':
        for (const v of vars) if (v.t === 'string' || v.t === 'id') opts.push(v.name);
        for (const e of ents) opts.push(`${e.name}.name`);
        opts.push(`'${rng.pick(STR_LITERALS)}'`);
        break;
      case 'id':
        for (const v of vars) if (v.t === 'id') opts.push(v.name);
        for (const e of ents) opts.push(`${e.name}.id`, `${e.name}.parentId ?? ${e.name}.id`);
        break;
      case 'owner':
        for (const v of vars) if (v.t === 'owner') opts.push(v.name);
        for (const e of ents) opts.push(`${e.name}.ownerId`);
        break;
      case 'nullableId':
        for (const v of vars) if (v.t === 'id') opts.push(v.name);
        for (const e of ents) opts.push(`${e.name}.parentId`);
        opts.push('null');
        break;
      case 'number':
        for (const v of vars) if (v.t === 'number') opts.push(v.name);
        for (const e of ents) opts.push(`${e.name}.amount`, `${e.name}.quantity`, `${e.name}.tags.length`);
        for (const l of lists) opts.push(`${l.name}.length`);
        if (opts.length === 0 || rng.chance(0.15)) opts.push(String(rng.int(1, 50)));
        break;
      case 'boolean':
        for (const v of vars) if (v.t === 'boolean') opts.push(v.name);
        for (const e of ents) opts.push(`${e.name}.tags.length > 0`, `${e.name}.amount > ${rng.int(10, 500)}`);
        break;
      case 'strs':
        for (const v of vars) if (v.t === 'strs') opts.push(v.name);
        for (const e of ents) opts.push(`${e.name}.tags`);
        for (const l of lists) opts.push(`${l.name}.map((x) => x.id)`);
        break;
      case 'unknown':
        for (const v of vars) if (v.t === 'unknown') opts.push(v.name, v.name);
        for (const e of ents) opts.push(e.name);
        if (opts.length === 0) opts.push(`{ name: '${rng.pick(STR_LITERALS)}', amount: ${rng.int(1, 99)}, quantity: 1, tags: [] }`);
        break;
      case 'env':
        for (const v of vars) if (v.t === 'env') opts.push(v.name);
        break;
      case 'St': {
        const d = dom(t);
        for (const e of ents) if (dom(e.t) === d) opts.push(`${e.name}.status`);
        opts.push(`'${rng.pick(DOMAINS_BY_NAME.get(d).statuses)}'`);
        break;
      }
      case 'E':
      case 'In':
        for (const v of vars) if (v.t === t) opts.push(v.name);
        break;
      case 'Es':
        for (const v of vars) if (v.t === t) opts.push(v.name, v.name);
        for (const e of ents) if (dom(e.t) === dom(t)) opts.push(`[${e.name}]`);
        break;
      default:
        break;
    }
    return opts.length ? rng.pick(opts) : null;
  }
}

// Names the templates declare themselves; filler variables never take them.
const RESERVED = [
  'key', 'cached', 'result', 'item', 'items', 'input', 'existing', 'ranked', 'parts', 'refreshed',
  'flagged', 'url', 'body', 'userId', 'payload', 'id', 'ids', 'limit', 'next', 'pattern', 'size',
  'changed', 'current', 'client', 'count', 'deepest', 'below', 'node', 'nodes', 'selected', 'out',
  'tag', 'tags', 'merged', 'clean', 'base', 'total', 'score', 'cost', 'raw', 'response', 'signature',
  'secret', 'sum', 'children', 'rest', 'childId', 'env', 'status', 'ownerId', 'term', 'offset',
  'threshold', 'quantity', 'amount', 'text', 'left', 'right', 'index', 'acc', 'depth', 'parentId',
  'request', 'err', 'ch', 'name', 'value', 'values', 'seen', 'hash', 'min', 'max', 'part', 'whole',
];

// Filled while generating; `St:<d>` needs the domain's statuses.
const DOMAINS_BY_NAME = new Map();

// ---------------------------------------------------------------------------------------
// Generator

class ServiceGenerator {
  constructor({ lines, seed }) {
    this.targetLines = lines;
    this.rng = new Rng(seed);
    this.files = new Map(); // path (relative to dir) → text
    this.exports = new Map(); // exported name → module (src-relative, no extension)
    this.callables = []; // { name, module, layer, domain, async, params: [type], ret, seq }
    this.usedNames = new Set();
    this.seq = 0;
    this.handlers = 0;
  }

  uniqueName(base) {
    let name = base;
    for (let i = 2; this.usedNames.has(name); i++) name = base + i;
    this.usedNames.add(name);
    return name;
  }

  register(c) {
    c.seq = this.seq++;
    this.callables.push(c);
    this.exports.set(c.name, c.module);
    return c;
  }

  exportName(name, module) {
    this.usedNames.add(name);
    this.exports.set(name, module);
  }

  /** Writes a module; imports are derived from the exported names its body mentions. */
  emitModule(module, body, header = '') {
    const own = new Set();
    for (const m of body.matchAll(/export (?:async )?(?:function|const|let|interface|type|class) ([A-Za-z_$][\w$]*)/g)) own.add(m[1]);
    const byModule = new Map();
    const seen = new Set();
    // Identifiers outside '…' and "…" literals (SQL and messages mention words like json).
    const code = body.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''");
    for (const m of code.matchAll(/[A-Za-z_$][\w$]*/g)) {
      const id = m[0];
      if (seen.has(id) || own.has(id)) continue;
      seen.add(id);
      const from = this.exports.get(id);
      if (!from || from === module) continue;
      if (!byModule.has(from)) byModule.set(from, []);
      byModule.get(from).push(id);
    }
    const imports = [];
    if (/\bnew Pool\b/.test(body)) imports.push("import { Pool } from 'pg';");
    const dir = path.posix.dirname(module);
    for (const from of [...byModule.keys()].sort()) {
      let rel = path.posix.relative(dir, from);
      if (!rel.startsWith('.')) rel = './' + rel;
      const names = byModule.get(from).sort();
      const types = this.typeNames;
      const parts = names.map((n) => (types.has(n) ? `type ${n}` : n));
      imports.push(`import { ${parts.join(', ')} } from '${rel}';`);
    }
    const text = (header ? header + '\n' : '') + (imports.length ? imports.join('\n') + '\n\n' : '') + body;
    this.files.set(`src/${module}.ts`, text);
    return text.split('\n').length - 1;
  }

  // -------------------------------------------------------------------------------------
  // Bodies

  /** Callables the caller may use: defined earlier, allowed layer, all params satisfiable. */
  candidates(ctx, scope) {
    const out = [];
    for (const c of this.callables) {
      if (c.seq >= ctx.before) continue;
      if (c.async && !ctx.async) continue;
      const w = ctx.allow(c);
      if (!w) continue;
      if (!c.params.every((p) => scope.expr(p, this.rng) !== null)) continue;
      out.push([w, c]);
    }
    return out;
  }

  callExpr(c, scope) {
    const args = c.params.map((p) => scope.expr(p, this.rng));
    return `${c.async ? 'await ' : ''}${c.name}(${args.join(', ')})`;
  }

  varFor(t, scope) {
    switch (kind(t)) {
      case 'number':
        return scope.fresh(this.rng.pick(NUM_NAMES));
      case 'string':
        return scope.fresh(this.rng.pick(STR_NAMES));
      case 'boolean':
        return scope.fresh(this.rng.pick(BOOL_NAMES));
      case 'strs':
        return scope.fresh(this.rng.pick(['keys', 'labels', 'names', 'ids']));
      case 'E':
      case 'En':
        return scope.fresh(DOMAINS_BY_NAME.get(dom(t)).camel);
      case 'Es':
        return scope.fresh(DOMAINS_BY_NAME.get(dom(t)).camelPlural);
      case 'In':
        return scope.fresh(DOMAINS_BY_NAME.get(dom(t)).camel + 'Input');
      default:
        return scope.fresh('value');
    }
  }

  /** One call statement; binds its result in scope. Returns false if nothing is callable. */
  emitCall(ctx, w, scope, depth) {
    const cands = this.candidates(ctx, scope);
    if (cands.length === 0) return false;
    const c = this.rng.weighted(cands);
    const call = this.callExpr(c, scope);
    const t = c.ret;
    if (t === 'void') {
      w.line(`${call};`);
    } else if (kind(t) === 'En') {
      const d = dom(t);
      const v = this.varFor(t, scope);
      w.line(`const ${v} = ${call};`);
      if (depth < 2 && this.rng.chance(0.4)) {
        w.open(`if (${v})`);
        const inner = scope.child();
        inner.add(v, `E:${d}`);
        this.filler(ctx, w, inner, this.rng.int(1, 2), depth + 1);
        w.close();
      } else {
        w.open(`if (!${v})`);
        w.line(`throw new NotFoundError(\`${DOMAINS_BY_NAME.get(d).name} \${${scope.expr('id', this.rng) ?? "'?'"}} not found\`);`);
        w.close();
        scope.add(v, `E:${d}`);
      }
    } else if (kind(t) === 'unknown') {
      w.line(`${call};`);
    } else {
      const v = this.varFor(t, scope);
      w.line(`const ${v} = ${call};`);
      scope.add(v, t);
    }
    return true;
  }

  numericRef(scope) {
    const refs = [];
    for (const v of scope.all()) {
      if (v.t === 'number') refs.push(v.name);
      if (kind(v.t) === 'E') refs.push(`${v.name}.amount`, `${v.name}.quantity`);
      if (kind(v.t) === 'Es') refs.push(`${v.name}.length`);
      if (v.t === 'strs') refs.push(`${v.name}.length`);
      if (v.t === 'string') refs.push(`${v.name}.length`);
    }
    return refs.length ? this.rng.pick(refs) : null;
  }

  condition(scope) {
    const bools = scope.of((t) => t === 'boolean');
    if (bools.length && this.rng.chance(0.35)) {
      const b = this.rng.pick(bools).name;
      return this.rng.chance(0.5) ? b : `!${b}`;
    }
    const n = this.numericRef(scope);
    if (!n) return null;
    const op = this.rng.pick(['>', '>=', '<', '<=']);
    return `${n} ${op} ${this.rng.int(0, 100)}`;
  }

  /** n random statements: calls, ifs, loops, try/catch, accumulations, computations. */
  filler(ctx, w, scope, n, depth = 0) {
    const rng = this.rng;
    for (let i = 0; i < n; i++) {
      const lists = scope.of((t) => kind(t) === 'Es' || t === 'strs');
      const accs = scope.accumulators();
      const choice = rng.weighted([
        [5, 'call'],
        [depth < 2 ? 2 : 0, 'if'],
        [depth < 2 && lists.length ? 1.5 : 0, 'loop'],
        [depth < 1 && ctx.async ? 0.8 : 0, 'try'],
        [accs.length ? 1.2 : 0, 'acc'],
        [1, 'compute'],
      ]);
      if (choice === 'call' && this.emitCall(ctx, w, scope, depth)) continue;
      if (choice === 'if') {
        const cond = this.condition(scope);
        if (cond) {
          w.open(`if (${cond})`);
          this.filler(ctx, w, scope.child(), rng.int(1, 2), depth + 1);
          if (rng.chance(0.4)) {
            w.mid('} else {');
            if (rng.chance(0.3)) {
              w.line(`throw new ValidationError('${ctx.label}: ${rng.pick(['limit exceeded', 'invalid state', 'out of range', 'not allowed'])}');`);
            } else {
              this.filler(ctx, w, scope.child(), 1, depth + 1);
            }
          }
          w.close();
          continue;
        }
      }
      if (choice === 'loop') {
        const list = rng.pick(lists);
        const acc = scope.fresh(rng.pick(NUM_NAMES));
        w.line(`let ${acc} = 0;`);
        const inner = scope.child();
        if (kind(list.t) === 'Es') {
          const d = dom(list.t);
          const x = scope.fresh(DOMAINS_BY_NAME.get(d).camel + 'Item');
          w.open(`for (const ${x} of ${list.name})`);
          inner.add(x, `E:${d}`);
          if (rng.chance(0.3)) {
            w.open(`if (${x}.quantity === 0)`);
            w.line('continue;');
            w.close();
          }
          w.line(`${acc} += ${x}.amount * ${rng.int(1, 9)};`);
        } else {
          const x = scope.fresh('key');
          w.open(`for (const ${x} of ${list.name})`);
          inner.add(x, 'string');
          w.line(`${acc} += ${x}.length;`);
        }
        inner.add(acc, 'number', true);
        this.filler(ctx, w, inner, rng.int(0, 2), depth + 1);
        w.close();
        scope.add(acc, 'number', true);
        continue;
      }
      if (choice === 'try') {
        w.open('try');
        const inner = scope.child();
        if (!this.emitCall(ctx, w, inner, depth + 1)) w.line(`console.debug('${ctx.label}: no work');`);
        this.filler(ctx, w, inner, rng.int(0, 1), depth + 1);
        w.mid('} catch (err) {');
        if (rng.chance(0.5)) {
          w.line(`console.warn('${ctx.label} failed', err);`);
        } else {
          w.open('if (err instanceof ValidationError)');
          w.line('throw err;');
          w.close();
          w.line(`console.error('${ctx.label}: unexpected error', err);`);
        }
        w.close();
        continue;
      }
      if (choice === 'acc' && accs.length) {
        const a = rng.pick(accs).name;
        const e = scope.expr('number', rng);
        w.line(`${a} ${rng.pick(['+=', '+=', '-=', '*='])} ${e === a ? rng.int(1, 9) : e};`);
        continue;
      }
      // compute: a derived value
      const a = scope.expr('number', rng);
      let b = scope.expr('number', rng);
      for (let k = 0; k < 3 && b === a; k++) b = scope.expr('number', rng);
      if (rng.chance(0.3)) {
        const s = scope.fresh(rng.pick(STR_NAMES));
        w.line(`const ${s} = \`${ctx.label}:\${${a}}:\${${scope.expr('string', rng)}}\`;`);
        scope.add(s, 'string');
      } else {
        const v = scope.fresh(rng.pick(NUM_NAMES));
        w.line(`const ${v} = Math.${rng.pick(['max', 'min'])}(${a}, ${b}) ${rng.pick(['*', '+', '-'])} ${rng.int(1, 12)};`);
        scope.add(v, 'number');
      }
    }
  }

  newScope() {
    return new Scope({ names: new Set(RESERVED) });
  }

  /** Renders `fn(params): ret` pieces for a callable. */
  static paramList(params) {
    return params.map(([n, t]) => `${n}: ${t}`).join(', ');
  }

  // -------------------------------------------------------------------------------------
  // Shared modules

  sharedModules() {
    this.exportName('pool', 'db');
    this.emitModule('db', [
      'export const pool = new Pool({ connectionString: process.env.DATABASE_URL });',
      '',
      'export async function closePool(): Promise<void> {',
      '  await pool.end();',
      '}',
      '',
    ].join('\n'));
    this.exportName('closePool', 'db');

    this.exportName('Env', 'env');
    this.emitModule('env', [
      'export interface Env {',
      '  CACHE: KVNamespace;',
      '  SESSIONS: KVNamespace;',
      '}',
      '',
    ].join('\n'));

    const errors = ['HttpError', 'ValidationError', 'AuthError', 'ForbiddenError', 'NotFoundError', 'ConflictError'];
    for (const e of errors) this.exportName(e, 'errors');
    this.emitModule('errors', [
      'export class HttpError extends Error {',
      '  constructor(',
      '    readonly status: number,',
      '    message: string,',
      '  ) {',
      '    super(message);',
      '    this.name = new.target.name;',
      '  }',
      '}',
      '',
      ...[
        ['ValidationError', 400],
        ['AuthError', 401],
        ['ForbiddenError', 403],
        ['NotFoundError', 404],
        ['ConflictError', 409],
      ].flatMap(([n, s]) => [
        `export class ${n} extends HttpError {`,
        '  constructor(message: string) {',
        `    super(${s}, message);`,
        '  }',
        '}',
        '',
      ]),
    ].join('\n'));

    for (const n of ['json', 'readJson', 'errorResponse', 'requireParam', 'intParam']) this.exportName(n, 'http');
    this.emitModule('http', [
      "const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };",
      '',
      'export function json(body: unknown, status = 200): Response {',
      '  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });',
      '}',
      '',
      'export async function readJson(request: Request): Promise<unknown> {',
      "  const type = request.headers.get('content-type') ?? '';",
      "  if (!type.includes('application/json')) {",
      "    throw new ValidationError('expected a JSON body');",
      '  }',
      '  try {',
      '    return await request.json();',
      '  } catch {',
      "    throw new ValidationError('malformed JSON body');",
      '  }',
      '}',
      '',
      'export function errorResponse(err: unknown): Response {',
      '  if (err instanceof HttpError) {',
      '    return json({ error: err.message }, err.status);',
      '  }',
      "  console.error('unhandled error', err);",
      "  return json({ error: 'internal error' }, 500);",
      '}',
      '',
      'export function requireParam(url: URL, name: string): string {',
      '  const value = url.searchParams.get(name);',
      '  if (value === null || value.length === 0) {',
      '    throw new ValidationError(`missing query parameter ${name}`);',
      '  }',
      '  return value;',
      '}',
      '',
      'export function intParam(url: URL, name: string, fallback: number): number {',
      '  const raw = url.searchParams.get(name);',
      '  if (raw === null) {',
      '    return fallback;',
      '  }',
      '  const value = Number.parseInt(raw, 10);',
      '  if (!Number.isFinite(value) || value < 0 || value > 1000) {',
      '    throw new ValidationError(`bad integer parameter ${name}`);',
      '  }',
      '  return value;',
      '}',
      '',
    ].join('\n'));

    // util: pure helpers every layer may call.
    const util = [
      ['clamp', [['value', 'number'], ['min', 'number'], ['max', 'number']], 'number', [
        'if (value < min) {',
        '  return min;',
        '}',
        'if (value > max) {',
        '  return max;',
        '}',
        'return value;',
      ]],
      ['hashString', [['text', 'string']], 'number', [
        'let hash = 2166136261;',
        'for (let i = 0; i < text.length; i++) {',
        '  hash ^= text.charCodeAt(i);',
        '  hash = Math.imul(hash, 16777619) >>> 0;',
        '}',
        'return hash;',
      ]],
      ['percentOf', [['part', 'number'], ['whole', 'number']], 'number', [
        'if (whole === 0) {',
        '  return 0;',
        '}',
        'return Math.round((part / whole) * 10000) / 100;',
      ]],
      ['slugify', [['text', 'string']], 'string', [
        'return text',
        '  .toLowerCase()',
        "  .replace(/[^a-z0-9]+/g, '-')",
        "  .replace(/^-+|-+$/g, '')",
        '  .slice(0, 64);',
      ]],
      ['uniqueStrings', [['values', 'strs']], 'strs', [
        'const seen = new Set<string>();',
        'const out: string[] = [];',
        'for (const value of values) {',
        '  if (seen.has(value)) {',
        '    continue;',
        '  }',
        '  seen.add(value);',
        '  out.push(value);',
        '}',
        'return out;',
      ]],
      ['roundMoney', [['value', 'number']], 'number', ['return Math.round(value * 100) / 100;']],
    ];
    const w = new Writer();
    for (const [name, params, ret, body] of util) {
      w.open(`export function ${name}(${params.map(([n, t]) => `${n}: ${tsType(t)}`).join(', ')}): ${tsType(ret)}`);
      for (const l of body) w.line(l);
      w.close();
      w.line();
      this.usedNames.add(name);
      this.register({ name, module: 'util', layer: 'util', domain: null, async: false, params: params.map((p) => p[1]), ret });
    }
    this.emitModule('util', w.text());

    // auth: sessions in KV.
    this.usedNames.add('requireUser');
    this.exportName('requireUser', 'auth');
    const a = [
      'interface Session {',
      '  userId: string;',
      '  expiresAt: number;',
      '}',
      '',
      'function sessionKey(token: string): string {',
      '  return `session:${token}`;',
      '}',
      '',
      'export async function requireUser(request: Request, env: Env): Promise<string> {',
      "  const header = request.headers.get('authorization') ?? '';",
      "  const token = header.startsWith('Bearer ') ? header.slice(7) : '';",
      '  if (token.length === 0) {',
      "    throw new AuthError('missing bearer token');",
      '  }',
      '  const raw = await env.SESSIONS.get(sessionKey(token));',
      '  if (raw === null) {',
      "    throw new AuthError('unknown session');",
      '  }',
      '  const session = JSON.parse(raw) as Session;',
      '  if (session.expiresAt < Date.now()) {',
      '    await env.SESSIONS.delete(sessionKey(token));',
      "    throw new AuthError('session expired');",
      '  }',
      '  return session.userId;',
      '}',
      '',
      'export async function createSession(env: Env, userId: string, ttlSeconds: number): Promise<string> {',
      '  const token = crypto.randomUUID();',
      '  const session: Session = { userId, expiresAt: Date.now() + ttlSeconds * 1000 };',
      '  await env.SESSIONS.put(sessionKey(token), JSON.stringify(session), { expirationTtl: ttlSeconds });',
      '  return token;',
      '}',
      '',
      'export async function revokeSession(env: Env, token: string): Promise<void> {',
      '  await env.SESSIONS.delete(sessionKey(token));',
      '}',
      '',
    ];
    this.exportName('createSession', 'auth');
    this.exportName('revokeSession', 'auth');
    this.emitModule('auth', a.join('\n'));
  }

  // -------------------------------------------------------------------------------------
  // Domains

  makeDomain(i) {
    const noun = NOUNS[i % NOUNS.length] + (i >= NOUNS.length ? String(Math.floor(i / NOUNS.length) + 1) : '');
    const rng = this.rng;
    const extras = rng.shuffle(EXTRA_FIELDS).slice(0, rng.int(1, 3));
    const d = {
      name: noun,
      camel: noun,
      camelPlural: plural(noun),
      E: pascal(noun),
      Es: pascal(plural(noun)),
      table: snake(plural(noun)),
      statuses: rng.pick(STATUS_SETS),
      extras,
      dir: `domains/${noun}`,
    };
    DOMAINS_BY_NAME.set(noun, d);
    return d;
  }

  /** Context for generating one function body. */
  ctx(d, layer, module, async, label) {
    const rng = this.rng;
    return {
      label,
      async,
      before: this.seq,
      allow: (c) => {
        const sameDomain = c.domain === d.name;
        const sameModule = c.module === module;
        switch (layer) {
          case 'pure':
            return c.layer === 'util' ? 1 : sameModule ? 3 : 0;
          case 'repo':
            return c.layer === 'util' ? 1 : c.layer === 'pure' && sameDomain ? 3 : 0;
          case 'service':
            if (c.layer === 'util') return 0.6;
            if (c.layer === 'pure') return sameDomain ? 2 : 0.3;
            if (c.layer === 'repo') return sameDomain ? 3 : 0;
            if (c.layer === 'service') return sameDomain ? 2 : 0.5;
            return 0;
          case 'handler':
            if (c.layer === 'service') return sameDomain ? 4 : 0.6;
            if (c.layer === 'pure') return sameDomain ? 1 : 0.2;
            if (c.layer === 'repo') return sameDomain ? 0.5 : 0;
            if (c.layer === 'util') return 0.3;
            return 0;
          default:
            return 0;
        }
      },
      rng,
    };
  }

  /** Generates functions from `templates` into w until the module reaches `target` lines. */
  fillModule(w, target, templates, headerLines) {
    const used = new Map();
    let guard = 0;
    while (w.lines.length + headerLines < target && guard++ < 200) {
      const options = templates.filter((t) => (used.get(t.id) ?? 0) < (t.max ?? 99));
      if (options.length === 0) break;
      const t = this.rng.weighted(options.map((o) => [o.weight ?? 1, o]));
      used.set(t.id, (used.get(t.id) ?? 0) + 1);
      t.gen(w);
      w.line();
    }
  }

  nameWithQualifier(make) {
    // make(qualifierWord) → name; tries plain, then qualifiers, then numbered.
    const words = ['', ...this.rng.shuffle(QUALIFIERS).map((q) => q.word)];
    for (const word of words) {
      const n = make(word);
      if (!this.usedNames.has(n)) {
        this.usedNames.add(n);
        return { name: n, qualifier: QUALIFIERS.find((q) => q.word === word) ?? null };
      }
    }
    return { name: this.uniqueName(make('')), qualifier: null };
  }

  // ---- model.ts -------------------------------------------------------------------------

  modelModule(d, target) {
    const module = `${d.dir}/model`;
    const { E, Es, statuses, extras, name } = d;
    const w = new Writer();
    const U = name.toUpperCase();
    w.line(`export type ${E}Status = ${statuses.map((s) => `'${s}'`).join(' | ')};`);
    w.line();
    w.line(`export const ${U}_STATUSES: readonly ${E}Status[] = [${statuses.map((s) => `'${s}'`).join(', ')}];`);
    w.line();
    w.open(`export interface ${E}`);
    for (const l of ['id: string;', 'ownerId: string;', 'parentId: string | null;', 'name: string;', 'amount: number;', 'quantity: number;', `status: ${E}Status;`, 'tags: string[];']) w.line(l);
    for (const x of extras) w.line(`${x.name}: ${x.ts};`);
    w.line('createdAt: string;');
    w.line('updatedAt: string;');
    w.close();
    w.line();
    w.open(`export interface ${E}Input`);
    for (const l of ['name: string;', 'amount: number;', 'quantity: number;', 'tags: string[];', 'parentId: string | null;']) w.line(l);
    for (const x of extras) w.line(`${x.name}: ${x.ts};`);
    w.close();
    w.line();
    w.open(`export function is${E}Status(value: unknown): value is ${E}Status`);
    w.line(`return typeof value === 'string' && (${U}_STATUSES as readonly string[]).includes(value);`);
    w.close();
    w.line();
    w.open(`export function rowTo${E}(row: Record<string, unknown>): ${E}`);
    w.open('return');
    w.line('id: String(row.id),');
    w.line('ownerId: String(row.owner_id),');
    w.line('parentId: row.parent_id == null ? null : String(row.parent_id),');
    w.line("name: String(row.name ?? ''),");
    w.line('amount: Number(row.amount ?? 0),');
    w.line('quantity: Number(row.quantity ?? 0),');
    w.line(`status: is${E}Status(row.status) ? row.status : '${statuses[0]}',`);
    w.line('tags: Array.isArray(row.tags) ? row.tags.map(String) : [],');
    for (const x of extras) {
      const col = `row.${snake(x.name)}`;
      w.line(`${x.name}: ${x.ts === 'number' ? `Number(${col} ?? 0)` : x.ts === 'string' ? `String(${col} ?? '')` : `${col} === true`},`);
    }
    w.line('createdAt: String(row.created_at),');
    w.line('updatedAt: String(row.updated_at),');
    w.close('};');
    w.close();
    w.line();
    w.open(`export function ${name}CacheKey(id: string): string`);
    w.line(`return \`${name}:v1:\${id}\`;`);
    w.close();
    w.line();
    w.open(`export function parse${E}Input(input: unknown): ${E}Input`);
    w.open("if (typeof input !== 'object' || input === null)");
    w.line(`throw new ValidationError('${name}: body must be an object');`);
    w.close();
    w.line('const body = input as Record<string, unknown>;');
    w.line("const name = typeof body.name === 'string' ? body.name.trim() : '';");
    w.open('if (name.length === 0 || name.length > 120)');
    w.line(`throw new ValidationError('${name}: name must have 1 to 120 characters');`);
    w.close();
    w.line('const amount = Number(body.amount);');
    w.open('if (!Number.isFinite(amount) || amount < 0)');
    w.line(`throw new ValidationError('${name}: amount must be a non-negative number');`);
    w.close();
    w.line('const quantity = Math.floor(Number(body.quantity ?? 1));');
    w.open(`if (quantity < 1 || quantity > ${this.rng.pick([100, 1000, 10000])})`);
    w.line(`throw new ValidationError('${name}: quantity out of range');`);
    w.close();
    w.line('const tags: string[] = [];');
    w.open('if (Array.isArray(body.tags))');
    w.open('for (const tag of body.tags)');
    w.open("if (typeof tag === 'string' && tag.length > 0)");
    w.line('tags.push(tag.toLowerCase());');
    w.close();
    w.close();
    w.close();
    w.line("const parentId = typeof body.parentId === 'string' ? body.parentId : null;");
    for (const x of extras) {
      const f = `body.${x.name}`;
      w.line(`const ${x.name} = ${x.ts === 'number' ? `Number(${f} ?? 0)` : x.ts === 'string' ? `typeof ${f} === 'string' ? ${f} : ''` : `${f} === true`};`);
    }
    w.line(`return { name, amount, quantity, tags, parentId${extras.map((x) => ', ' + x.name).join('')} };`);
    w.close();
    w.line();
    for (const n of [`${E}Status`, E, `${E}Input`]) this.typeNames.add(n);
    for (const n of [`${E}Status`, `${U}_STATUSES`, E, `${E}Input`, `is${E}Status`, `rowTo${E}`, `${name}CacheKey`, `parse${E}Input`]) this.exportName(n, module);
    const reg = (nm, params, ret) =>
      this.register({ name: nm, module, layer: 'pure', domain: name, async: false, params, ret });
    reg(`${name}CacheKey`, ['id'], 'string');
    reg(`parse${E}Input`, ['unknown'], `In:${name}`);

    const rng = this.rng;
    const T = `E:${name}`;
    const TS = `Es:${name}`;
    const pure = (id, gen, extra = {}) => ({ id, gen, ...extra });
    const fn = (label) => this.ctx(d, 'pure', module, false, label);
    const last = statuses[statuses.length - 1];
    const templates = [
      pure('score', (w) => {
        const { name: f } = this.nameWithQualifier((q) => `score${q}${E}`);
        const c = fn(f);
        const s = this.newScope();
        s.add('item', T);
        w.open(`export function ${f}(item: ${E}): number`);
        const acc = s.add('score', 'number', true);
        w.line(`let score = item.amount * ${rng.int(1, 9) / 10} + item.quantity * ${rng.int(1, 30) / 10};`);
        w.open(`if (item.tags.length > ${rng.int(1, 5)})`);
        w.line(`score += item.tags.length * ${rng.int(1, 4)};`);
        w.mid('} else {');
        w.line(`score -= ${rng.int(1, 3)};`);
        w.close();
        w.open('switch (item.status)');
        for (const st of rng.shuffle(statuses).slice(0, 2)) {
          w.line(`case '${st}':`);
          w.line(`  ${acc} *= ${(rng.int(5, 15) / 10).toFixed(1)};`);
          w.line('  break;');
        }
        w.line('default:');
        w.line('  break;');
        w.close();
        this.filler(c, w, s, rng.int(1, 3));
        w.line('return Math.round(score * 100) / 100;');
        w.close();
        reg(f, [T], 'number');
      }),
      pure('total', (w) => {
        const { name: f } = this.nameWithQualifier((q) => `total${q}${Es}`);
        const c = fn(f);
        const s = this.newScope();
        s.add('items', TS);
        w.open(`export function ${f}(items: ${E}[]): number`);
        w.line('let total = 0;');
        w.open('for (const item of items)');
        w.open(`if (item.status === '${last}')`);
        w.line('continue;');
        w.close();
        w.line('total += item.amount * item.quantity;');
        const inner = s.child();
        inner.add('item', T);
        inner.add('total', 'number', true);
        this.filler(c, w, inner, rng.int(0, 2), 1);
        w.close();
        s.add('total', 'number', true);
        this.filler(c, w, s, rng.int(0, 2));
        w.line('return total;');
        w.close();
        reg(f, [TS], 'number');
      }),
      pure('select', (w) => {
        const { name: f } = this.nameWithQualifier((q) => `select${q}${Es}`);
        w.open(`export function ${f}(items: ${E}[], threshold: number): ${E}[]`);
        w.line(`const selected: ${E}[] = [];`);
        w.open('for (const item of items)');
        w.open(`if (item.amount >= threshold && item.status !== '${last}')`);
        w.line('selected.push(item);');
        w.close();
        w.close();
        w.line(`selected.sort((a, b) => b.${rng.pick(['amount', 'quantity'])} - a.${rng.pick(['amount', 'quantity'])} || a.id.localeCompare(b.id));`);
        w.line('return selected;');
        w.close();
        reg(f, [TS, 'number'], TS);
      }),
      pure('normalize', (w) => {
        const { name: f } = this.nameWithQualifier((q) => `normalize${q}${E}Name`);
        w.open(`export function ${f}(text: string): string`);
        w.line("let out = '';");
        w.open('for (const ch of text.trim().toLowerCase())');
        w.open("if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))");
        w.line('out += ch;');
        w.mid("} else if (out.length > 0 && !out.endsWith('-')) {");
        w.line("out += '-';");
        w.close();
        w.close();
        w.line(`return out.slice(0, ${rng.int(24, 96)});`);
        w.close();
        reg(f, ['string'], 'string');
      }),
      pure('check', (w) => {
        const { name: f } = this.nameWithQualifier((q) => `assert${q}${E}Valid`);
        const c = fn(f);
        const s = this.newScope();
        s.add('item', T);
        w.open(`export function ${f}(item: ${E}): void`);
        w.open(`if (item.amount > ${rng.pick([1000, 5000, 100000])})`);
        w.line(`throw new ValidationError(\`${name} \${item.id}: amount over limit\`);`);
        w.close();
        w.open(`if (item.tags.length > ${rng.int(8, 30)})`);
        w.line(`throw new ValidationError(\`${name} \${item.id}: too many tags\`);`);
        w.close();
        w.open(`if (item.quantity <= 0 && item.status === '${statuses[1]}')`);
        w.line(`throw new ValidationError(\`${name} \${item.id}: empty but ${statuses[1]}\`);`);
        w.close();
        this.filler(c, w, s, rng.int(0, 2));
        w.close();
        reg(f, [T], 'void');
      }),
      pure('describe', (w) => {
        const { name: f } = this.nameWithQualifier((q) => `describe${q}${E}`);
        w.open(`export function ${f}(item: ${E}): string`);
        w.line(`const base = \`\${item.name} (\${item.quantity} × \${item.amount.toFixed(2)})\`;`);
        w.open('switch (item.status)');
        for (const st of statuses) {
          w.line(`case '${st}':`);
          w.line(`  return \`\${base} — ${st}\`;`);
        }
        w.line('default:');
        w.line('  return base;');
        w.close();
        w.close();
        reg(f, [T], 'string');
      }),
      pure('fold', (w) => {
        const { name: f } = this.nameWithQualifier((q) => `fold${q}${E}Tags`);
        w.open(`export function ${f}(tags: string[], index: number, acc: number): number`);
        w.open('if (index >= tags.length)');
        w.line('return acc;');
        w.close();
        w.line('const tag = tags[index];');
        w.line(`return ${f}(tags, index + 1, acc + tag.length * (index + ${rng.int(1, 7)}));`);
        w.close();
        reg(f, ['strs', 'number', 'number'], 'number');
      }, { max: 1 }),
      pure('tree', (w) => {
        const { name: f } = this.nameWithQualifier((q) => `measure${q}${E}Tree`);
        w.open(`export function ${f}(nodes: ${E}[], parentId: string | null, depth: number): number`);
        w.open(`if (depth > ${rng.int(6, 12)})`);
        w.line('return depth;');
        w.close();
        w.line('let deepest = depth;');
        w.open('for (const node of nodes)');
        w.open('if (node.parentId !== parentId)');
        w.line('continue;');
        w.close();
        w.line(`const below = ${f}(nodes, node.id, depth + 1);`);
        w.open('if (below > deepest)');
        w.line('deepest = below;');
        w.close();
        w.close();
        w.line('return deepest;');
        w.close();
        reg(f, [TS, 'nullableId', 'number'], 'number');
      }, { max: 1 }),
      pure('merge', (w) => {
        const { name: f } = this.nameWithQualifier((q) => `merge${q}${E}Tags`);
        w.open(`export function ${f}(left: string[], right: string[]): string[]`);
        w.line('const merged = new Set<string>();');
        w.open('for (const tag of [...left, ...right])');
        w.line('const clean = tag.trim().toLowerCase();');
        w.open(`if (clean.length === 0 || clean.length > ${rng.int(16, 40)})`);
        w.line('continue;');
        w.close();
        w.line('merged.add(clean);');
        w.close();
        w.line('return [...merged].sort();');
        w.close();
        reg(f, ['strs', 'strs'], 'strs');
      }),
      pure('estimate', (w) => {
        const { name: f } = this.nameWithQualifier((q) => `estimate${q}${E}Cost`);
        const c = fn(f);
        const s = this.newScope();
        s.add('quantity', 'number');
        s.add('amount', 'number');
        w.open(`export function ${f}(quantity: number, amount: number): number`);
        w.line('let cost = quantity * amount;');
        s.add('cost', 'number', true);
        w.open(`if (quantity > ${rng.int(50, 500)})`);
        w.line(`cost *= ${(rng.int(70, 95) / 100).toFixed(2)};`);
        w.mid(`} else if (quantity > ${rng.int(5, 40)}) {`);
        w.line(`cost *= ${(rng.int(90, 99) / 100).toFixed(2)};`);
        w.close();
        this.filler(c, w, s, rng.int(1, 3));
        w.line('return Math.max(0, Math.round(cost * 100) / 100);');
        w.close();
        reg(f, ['number', 'number'], 'number');
      }),
      pure('eligible', (w) => {
        const { name: f } = this.nameWithQualifier((q) => `is${q}${E}Eligible`);
        const c = fn(f);
        const s = this.newScope();
        s.add('item', T);
        s.add('threshold', 'number');
        w.open(`export function ${f}(item: ${E}, threshold: number): boolean`);
        w.open(`if (item.status === '${last}')`);
        w.line('return false;');
        w.close();
        this.filler(c, w, s, rng.int(0, 2));
        w.line(`return item.amount >= threshold && item.tags.length ${rng.pick(['>=', '<='])} ${rng.int(0, 5)};`);
        w.close();
        reg(f, [T, 'number'], 'boolean');
      }),
    ];
    this.fillModule(w, target, templates, 2);
    return this.emitModule(module, w.text());
  }

  // ---- repo.ts --------------------------------------------------------------------------

  repoModule(d, target) {
    const module = `${d.dir}/repo`;
    const { E, Es, name, table, statuses, extras } = d;
    const rng = this.rng;
    const w = new Writer();
    const T = `E:${name}`;
    const TS = `Es:${name}`;
    const reg = (nm, params, ret) => this.register({ name: nm, module, layer: 'repo', domain: name, async: true, params, ret });
    const exp = (nm) => {
      this.usedNames.add(nm);
      return nm;
    };
    const cols = ['owner_id', 'parent_id', 'name', 'amount', 'quantity', 'tags', ...extras.map((x) => snake(x.name)), 'status'];
    const find = exp(`find${E}ById`);
    w.open(`export async function ${find}(id: string): Promise<${E} | null>`);
    w.line(`const result = await pool.query('SELECT * FROM ${table} WHERE id = $1', [id]);`);
    w.open('if (result.rows.length === 0)');
    w.line('return null;');
    w.close();
    w.line(`return rowTo${E}(result.rows[0]);`);
    w.close();
    w.line();
    reg(find, ['id'], `En:${name}`);
    const list = exp(`list${Es}ByOwner`);
    w.open(`export async function ${list}(ownerId: string, limit: number): Promise<${E}[]>`);
    w.line('const result = await pool.query(');
    w.line(`  'SELECT * FROM ${table} WHERE owner_id = $1 ORDER BY created_at DESC LIMIT $2',`);
    w.line('  [ownerId, limit],');
    w.line(');');
    w.line(`return result.rows.map(rowTo${E});`);
    w.close();
    w.line();
    reg(list, ['owner', 'number'], TS);
    const insert = exp(`insert${E}`);
    w.open(`export async function ${insert}(ownerId: string, input: ${E}Input): Promise<${E}>`);
    w.line('const result = await pool.query(');
    w.line(`  'INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => '$' + (i + 1)).join(', ')}) RETURNING *',`);
    w.line(`  [ownerId, input.parentId, input.name, input.amount, input.quantity, input.tags, ${extras.map((x) => `input.${x.name}, `).join('')}'${statuses[0]}'],`);
    w.line(');');
    w.line(`return rowTo${E}(result.rows[0]);`);
    w.close();
    w.line();
    reg(insert, ['owner', `In:${name}`], T);
    const update = exp(`update${E}Status`);
    w.open(`export async function ${update}(id: string, status: ${E}Status): Promise<void>`);
    w.line(`await pool.query('UPDATE ${table} SET status = $2, updated_at = now() WHERE id = $1', [id, status]);`);
    w.close();
    w.line();
    reg(update, ['id', `St:${name}`], 'void');
    const del = exp(`delete${E}`);
    w.open(`export async function ${del}(id: string): Promise<boolean>`);
    w.line(`const result = await pool.query('DELETE FROM ${table} WHERE id = $1', [id]);`);
    w.line('return (result.rowCount ?? 0) > 0;');
    w.close();
    w.line();
    reg(del, ['id'], 'boolean');
    const getCached = exp(`getCached${E}`);
    w.open(`export async function ${getCached}(env: Env, id: string): Promise<${E} | null>`);
    w.line(`const raw = await env.CACHE.get(${name}CacheKey(id));`);
    w.open('if (raw === null)');
    w.line('return null;');
    w.close();
    w.open('try');
    w.line(`return JSON.parse(raw) as ${E};`);
    w.mid('} catch {');
    w.line(`await env.CACHE.delete(${name}CacheKey(id));`);
    w.line('return null;');
    w.close();
    w.close();
    w.line();
    reg(getCached, ['env', 'id'], `En:${name}`);
    const cache = exp(`cache${E}`);
    w.open(`export async function ${cache}(env: Env, item: ${E}): Promise<void>`);
    w.line(`await env.CACHE.put(${name}CacheKey(item.id), JSON.stringify(item), { expirationTtl: ${rng.pick([60, 300, 900, 3600])} });`);
    w.close();
    w.line();
    reg(cache, ['env', T], 'void');
    const inval = exp(`invalidate${E}`);
    w.open(`export async function ${inval}(env: Env, id: string): Promise<void>`);
    w.line(`await env.CACHE.delete(${name}CacheKey(id));`);
    w.close();
    w.line();
    reg(inval, ['env', 'id'], 'void');
    const load = exp(`load${E}`);
    w.open(`export async function ${load}(env: Env, id: string): Promise<${E} | null>`);
    w.line(`const cached = await ${getCached}(env, id);`);
    w.open('if (cached)');
    w.line('return cached;');
    w.close();
    w.line(`const item = await ${find}(id);`);
    w.open('if (item)');
    w.line(`await ${cache}(env, item);`);
    w.close();
    w.line('return item;');
    w.close();
    w.line();
    reg(load, ['env', 'id'], `En:${name}`);
    for (const n of [find, list, insert, update, del, getCached, cache, inval, load]) this.exports.set(n, module);

    const fnCtx = (label) => this.ctx(d, 'repo', module, true, label);
    const where = (q, base) => (q ? `${base} AND ${q.sql}` : base);
    const templates = [
      { id: 'count', gen: (w) => {
        const { name: f, qualifier: q } = this.nameWithQualifier((x) => `count${x}${Es}ByStatus`);
        w.open(`export async function ${f}(status: ${E}Status): Promise<number>`);
        w.line(`const result = await pool.query(${sq(`SELECT count(*)::int AS n FROM ${table} WHERE ${where(q, 'status = $1')}`)}, [status]);`);
        w.line('return Number(result.rows[0]?.n ?? 0);');
        w.close();
        reg(f, [`St:${name}`], 'number');
      } },
      { id: 'children', gen: (w) => {
        const { name: f, qualifier: q } = this.nameWithQualifier((x) => `list${x}${E}Children`);
        w.open(`export async function ${f}(parentId: string): Promise<${E}[]>`);
        w.line(`const result = await pool.query(${sq(`SELECT * FROM ${table} WHERE ${where(q, 'parent_id = $1')} ORDER BY name`)}, [parentId]);`);
        w.line(`return result.rows.map(rowTo${E});`);
        w.close();
        reg(f, ['id'], TS);
      } },
      { id: 'search', gen: (w) => {
        const { name: f, qualifier: q } = this.nameWithQualifier((x) => `search${x}${Es}`);
        const c = fnCtx(f);
        const s = this.newScope();
        s.add('term', 'string');
        s.add('limit', 'number');
        w.open(`export async function ${f}(term: string, limit: number): Promise<${E}[]>`);
        w.line("const pattern = `%${term.trim().toLowerCase().replace(/[%_]/g, '')}%`;");
        this.filler(c, w, s, rng.int(0, 1));
        w.line('const result = await pool.query(');
        w.line(`  ${sq(`SELECT * FROM ${table} WHERE ${where(q, 'lower(name) LIKE $1')} ORDER BY updated_at DESC LIMIT $2`)},`);
        w.line('  [pattern, limit],');
        w.line(');');
        w.line(`return result.rows.map(rowTo${E});`);
        w.close();
        reg(f, ['string', 'number'], TS);
      } },
      { id: 'sum', gen: (w) => {
        const { name: f, qualifier: q } = this.nameWithQualifier((x) => `sum${x}${E}Amount`);
        w.open(`export async function ${f}(ownerId: string): Promise<number>`);
        w.line(`const result = await pool.query(${sq(`SELECT coalesce(sum(amount * quantity), 0) AS total FROM ${table} WHERE ${where(q, 'owner_id = $1')}`)}, [ownerId]);`);
        w.line('const total = Number(result.rows[0]?.total ?? 0);');
        w.line('return Math.round(total * 100) / 100;');
        w.close();
        reg(f, ['owner'], 'number');
      } },
      { id: 'bulk', gen: (w) => {
        const { name: f } = this.nameWithQualifier((x) => `bulkSet${x}${E}Status`);
        w.open(`export async function ${f}(ids: string[], status: ${E}Status): Promise<number>`);
        w.line('let changed = 0;');
        w.open('for (const id of ids)');
        w.line(`const result = await pool.query('UPDATE ${table} SET status = $2, updated_at = now() WHERE id = $1 AND status <> $2', [id, status]);`);
        w.line('changed += result.rowCount ?? 0;');
        w.close();
        w.line('return changed;');
        w.close();
        reg(f, ['strs', `St:${name}`], 'number');
      }, max: 2 },
      { id: 'transfer', gen: (w) => {
        const { name: f } = this.nameWithQualifier((x) => `transfer${x}${E}`);
        w.open(`export async function ${f}(id: string, newOwnerId: string): Promise<void>`);
        w.line('const client = await pool.connect();');
        w.open('try');
        w.line("await client.query('BEGIN');");
        w.line(`const current = await client.query('SELECT owner_id FROM ${table} WHERE id = $1 FOR UPDATE', [id]);`);
        w.open('if (current.rows.length === 0)');
        w.line(`throw new NotFoundError(\`${name} \${id} not found\`);`);
        w.close();
        w.line(`await client.query('UPDATE ${table} SET owner_id = $2, updated_at = now() WHERE id = $1', [id, newOwnerId]);`);
        w.line(`await client.query('INSERT INTO ${name}_transfers (${name}_id, from_owner, to_owner) VALUES ($1, $2, $3)', [id, current.rows[0].owner_id, newOwnerId]);`);
        w.line("await client.query('COMMIT');");
        w.mid('} catch (err) {');
        w.line("await client.query('ROLLBACK');");
        w.line('throw err;');
        w.mid('} finally {');
        w.line('client.release();');
        w.close();
        w.close();
        reg(f, ['id', 'owner'], 'void');
      }, max: 1 },
      { id: 'touch', gen: (w) => {
        const { name: f } = this.nameWithQualifier((x) => `touch${x}${E}`);
        w.open(`export async function ${f}(id: string): Promise<void>`);
        w.line(`await pool.query('UPDATE ${table} SET updated_at = now() WHERE id = $1', [id]);`);
        w.close();
        reg(f, ['id'], 'void');
      }, max: 1 },
      { id: 'tagged', gen: (w) => {
        const { name: f, qualifier: q } = this.nameWithQualifier((x) => `list${x}${Es}ByTag`);
        w.open(`export async function ${f}(tag: string, limit: number): Promise<${E}[]>`);
        w.line(`const result = await pool.query(${sq(`SELECT * FROM ${table} WHERE ${where(q, '$1 = ANY(tags)')} LIMIT $2`)}, [tag.toLowerCase(), limit]);`);
        w.line(`return result.rows.map(rowTo${E});`);
        w.close();
        reg(f, ['string', 'number'], TS);
      } },
      { id: 'stats', gen: (w) => {
        const { name: f, qualifier: q } = this.nameWithQualifier((x) => `get${x}${E}Stats`);
        const c = fnCtx(f);
        const s = this.newScope();
        s.add('env', 'env');
        s.add('ownerId', 'owner');
        w.open(`export async function ${f}(env: Env, ownerId: string): Promise<number>`);
        w.line(`const key = \`stats:${name}:${q ? q.word.toLowerCase() + ':' : ''}\${ownerId}\`;`);
        w.line('const cached = await env.CACHE.get(key);');
        w.open('if (cached !== null)');
        w.line('return Number(cached);');
        w.close();
        w.line(`const result = await pool.query(${sq(`SELECT count(*)::int AS n FROM ${table} WHERE ${where(q, 'owner_id = $1')}`)}, [ownerId]);`);
        w.line('const count = Number(result.rows[0]?.n ?? 0);');
        s.add('count', 'number');
        this.filler(c, w, s, rng.int(0, 2));
        w.line(`await env.CACHE.put(key, String(count), { expirationTtl: ${rng.pick([30, 60, 120])} });`);
        w.line('return count;');
        w.close();
        reg(f, ['env', 'owner'], 'number');
      } },
      { id: 'views', gen: (w) => {
        const { name: f } = this.nameWithQualifier((x) => `record${x}${E}View`);
        w.open(`export async function ${f}(env: Env, id: string): Promise<number>`);
        w.line(`const key = \`views:${name}:\${id}\`;`);
        w.line('const current = Number((await env.CACHE.get(key)) ?? 0);');
        w.line('const next = Number.isFinite(current) ? current + 1 : 1;');
        w.line('await env.CACHE.put(key, String(next));');
        w.line('return next;');
        w.close();
        reg(f, ['env', 'id'], 'number');
      }, max: 1 },
      { id: 'archive', gen: (w) => {
        const { name: f, qualifier: q } = this.nameWithQualifier((x) => `archive${x}${Es}Before`);
        w.open(`export async function ${f}(before: string): Promise<string[]>`);
        w.line('const result = await pool.query(');
        w.line(`  "UPDATE ${table} SET status = '${statuses[statuses.length - 1]}' WHERE ${where(q, 'updated_at < $1')} RETURNING id",`);
        w.line('  [before],');
        w.line(');');
        w.line('return result.rows.map((row) => String(row.id));');
        w.close();
        reg(f, ['string'], 'strs');
      } },
      { id: 'page', gen: (w) => {
        const { name: f, qualifier: q } = this.nameWithQualifier((x) => `list${x}${Es}Page`);
        const c = fnCtx(f);
        const s = this.newScope();
        s.add('ownerId', 'owner');
        s.add('offset', 'number');
        w.open(`export async function ${f}(ownerId: string, offset: number, pageSize: number): Promise<${E}[]>`);
        w.line(`const size = Math.min(Math.max(pageSize, 1), ${rng.pick([50, 100, 200])});`);
        s.add('size', 'number');
        this.filler(c, w, s, rng.int(0, 1));
        w.line('const result = await pool.query(');
        w.line(`  ${sq(`SELECT * FROM ${table} WHERE ${where(q, 'owner_id = $1')} ORDER BY id LIMIT $2 OFFSET $3`)},`);
        w.line('  [ownerId, size, offset],');
        w.line(');');
        w.line(`return result.rows.map(rowTo${E});`);
        w.close();
        reg(f, ['owner', 'number', 'number'], TS);
      } },
    ];
    this.fillModule(w, target, templates, 6);
    return this.emitModule(module, w.text());
  }

  // ---- service.ts -----------------------------------------------------------------------

  serviceModule(d, target) {
    const module = `${d.dir}/service`;
    const { E, Es, name, statuses } = d;
    const rng = this.rng;
    const w = new Writer();
    const T = `E:${name}`;
    const TS = `Es:${name}`;
    const reg = (nm, params, ret) => this.register({ name: nm, module, layer: 'service', domain: name, async: true, params, ret });
    const fnCtx = (label) => this.ctx(d, 'service', module, true, label);
    const load = `load${E}`;
    const last = statuses[statuses.length - 1];

    let moduleState = null;
    if (rng.chance(0.35)) {
      moduleState = `recent${Es}`;
      w.line(`const ${moduleState} = new Map<string, number>();`);
      w.line();
    }
    const scope0 = (params) => {
      const s = this.newScope();
      for (const [n, t] of params) s.add(n, t);
      return s;
    };
    const templates = [
      { id: 'get', weight: 2, gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `get${q}${E}ForOwner`);
        const c = fnCtx(f);
        const s = scope0([['env', 'env'], ['ownerId', 'owner'], ['id', 'id']]);
        w.open(`export async function ${f}(env: Env, ownerId: string, id: string): Promise<${E}>`);
        w.line(`const item = await ${load}(env, id);`);
        w.open('if (!item)');
        w.line(`throw new NotFoundError(\`${name} \${id} not found\`);`);
        w.close();
        w.open('if (item.ownerId !== ownerId)');
        w.line(`throw new ForbiddenError(\`${name} \${id} belongs to another account\`);`);
        w.close();
        s.add('item', T);
        if (moduleState) w.line(`${moduleState}.set(id, Date.now());`);
        this.filler(c, w, s, rng.int(1, 4));
        w.line('return item;');
        w.close();
        reg(f, ['env', 'owner', 'id'], T);
      } },
      { id: 'create', gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `create${q}${E}For`);
        const c = fnCtx(f);
        const s = scope0([['env', 'env'], ['ownerId', 'owner'], ['payload', 'unknown']]);
        w.open(`export async function ${f}(env: Env, ownerId: string, payload: unknown): Promise<${E}>`);
        w.line(`const input = parse${E}Input(payload);`);
        s.add('input', `In:${name}`);
        w.line(`const existing = await list${Es}ByOwner(ownerId, ${rng.pick([100, 500, 1000])});`);
        w.open(`if (existing.length >= ${rng.pick([100, 500, 1000])})`);
        w.line(`throw new ConflictError('${name}: too many for this account');`);
        w.close();
        s.add('existing', TS);
        this.filler(c, w, s, rng.int(1, 3));
        w.line(`const item = await insert${E}(ownerId, input);`);
        w.line(`await cache${E}(env, item);`);
        w.line('return item;');
        w.close();
        reg(f, ['env', 'owner', 'unknown'], T);
      } },
      { id: 'summary', gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `summarize${q}${Es}For`);
        const c = fnCtx(f);
        const s = scope0([['env', 'env'], ['ownerId', 'owner']]);
        w.open(`export async function ${f}(env: Env, ownerId: string): Promise<number>`);
        w.line(`const items = await list${Es}ByOwner(ownerId, ${rng.pick([50, 100, 250])});`);
        w.line('let total = 0;');
        w.open('for (const item of items)');
        w.open(`if (item.status === '${last}')`);
        w.line('continue;');
        w.close();
        const inner = s.child();
        inner.add('item', T);
        inner.add('total', 'number', true);
        w.line('total += item.amount * item.quantity;');
        this.filler(c, w, inner, rng.int(0, 2), 1);
        w.close();
        s.add('items', TS);
        s.add('total', 'number', true);
        this.filler(c, w, s, rng.int(0, 2));
        w.line('return Math.round(total * 100) / 100;');
        w.close();
        reg(f, ['env', 'owner'], 'number');
      } },
      { id: 'status', gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `change${q}${E}Status`);
        const c = fnCtx(f);
        const s = scope0([['env', 'env'], ['ownerId', 'owner'], ['id', 'id']]);
        w.open(`export async function ${f}(env: Env, ownerId: string, id: string, next: string): Promise<${E}>`);
        w.open(`if (!is${E}Status(next))`);
        w.line(`throw new ValidationError(\`${name}: unknown status \${next}\`);`);
        w.close();
        w.line(`const item = await ${load}(env, id);`);
        w.open('if (!item || item.ownerId !== ownerId)');
        w.line(`throw new NotFoundError(\`${name} \${id} not found\`);`);
        w.close();
        w.open(`if (item.status === '${last}' && next !== '${last}')`);
        w.line(`throw new ConflictError(\`${name} \${id} is ${last}\`);`);
        w.close();
        s.add('item', T);
        this.filler(c, w, s, rng.int(0, 3));
        w.line(`await update${E}Status(id, next);`);
        w.line(`await invalidate${E}(env, id);`);
        w.line('return { ...item, status: next, updatedAt: new Date().toISOString() };');
        w.close();
        reg(f, ['env', 'owner', 'id', 'string'], T);
      } },
      { id: 'ancestors', max: 1, gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `collect${q}${E}Ancestors`);
        w.open(`export async function ${f}(env: Env, id: string, depth: number): Promise<string[]>`);
        w.open('if (depth <= 0)');
        w.line('return [];');
        w.close();
        w.line(`const item = await ${load}(env, id);`);
        w.open('if (!item || item.parentId === null)');
        w.line('return [id];');
        w.close();
        w.line(`const rest = await ${f}(env, item.parentId, depth - 1);`);
        w.line('return [id, ...rest];');
        w.close();
        reg(f, ['env', 'id', 'number'], 'strs');
      } },
      { id: 'expand', max: 1, gen: (w) => {
        const children = this.callables.filter((x) => x.domain === name && /^list\w*Children$/.test(x.name));
        const listChildren = children.length ? children[0].name : null;
        const { name: f } = this.nameWithQualifier((q) => `expand${q}${E}`);
        const g = this.uniqueName(`expand${E}Children`);
        w.open(`export async function ${f}(env: Env, id: string, depth: number): Promise<number>`);
        w.line(`const item = await ${load}(env, id);`);
        w.open('if (!item)');
        w.line('return 0;');
        w.close();
        w.open('if (depth <= 0)');
        w.line('return item.amount;');
        w.close();
        if (listChildren) {
          w.line(`const children = await ${listChildren}(id);`);
        } else {
          w.line(`const children = await list${Es}ByOwner(item.ownerId, ${rng.int(5, 20)});`);
        }
        w.line(`return item.amount + (await ${g}(env, children.map((child) => child.id), depth - 1));`);
        w.close();
        w.line();
        w.open(`async function ${g}(env: Env, ids: string[], depth: number): Promise<number>`);
        w.line('let sum = 0;');
        w.open('for (const childId of ids)');
        w.line(`sum += await ${f}(env, childId, depth);`);
        w.close();
        w.line('return sum;');
        w.close();
        reg(f, ['env', 'id', 'number'], 'number');
      } },
      { id: 'rank', gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `rank${q}${Es}For`);
        const c = fnCtx(f);
        const s = scope0([['env', 'env'], ['ownerId', 'owner'], ['limit', 'number']]);
        w.open(`export async function ${f}(env: Env, ownerId: string, limit: number): Promise<${E}[]>`);
        w.line(`const items = await list${Es}ByOwner(ownerId, Math.min(limit * ${rng.int(2, 5)}, 500));`);
        s.add('items', TS);
        this.filler(c, w, s, rng.int(1, 3));
        w.line(`const ranked = items.filter((item) => item.status !== '${last}');`);
        w.line(`ranked.sort((a, b) => b.amount - a.amount || a.name.localeCompare(b.name));`);
        w.line('return ranked.slice(0, limit);');
        w.close();
        reg(f, ['env', 'owner', 'number'], TS);
      } },
      { id: 'describe', gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `render${q}${E}Summary`);
        const c = fnCtx(f);
        const s = scope0([['env', 'env'], ['ownerId', 'owner'], ['id', 'id']]);
        w.open(`export async function ${f}(env: Env, ownerId: string, id: string): Promise<string>`);
        w.line(`const item = await ${load}(env, id);`);
        w.open('if (!item || item.ownerId !== ownerId)');
        w.line(`return '${name} unavailable';`);
        w.close();
        s.add('item', T);
        w.line("const parts: string[] = [item.name];");
        s.add('parts', 'strs');
        this.filler(c, w, s, rng.int(1, 3));
        w.line('parts.push(`${item.quantity} × ${item.amount}`);');
        w.line("return parts.join(' · ');");
        w.close();
        reg(f, ['env', 'owner', 'id'], 'string');
      } },
      { id: 'refresh', max: 2, gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `refresh${q}${E}Cache`);
        const c = fnCtx(f);
        w.open(`export async function ${f}(env: Env, ids: string[]): Promise<number>`);
        w.line('let refreshed = 0;');
        w.open('for (const id of ids)');
        w.line(`const item = await find${E}ById(id);`);
        w.open('if (item === null)');
        w.line(`await invalidate${E}(env, id);`);
        w.line('continue;');
        w.close();
        w.line(`await cache${E}(env, item);`);
        w.line('refreshed += 1;');
        const inner = scope0([['env', 'env'], ['id', 'id'], ['item', T]]);
        if (rng.chance(0.5)) this.filler(c, w, inner, 1, 1);
        w.close();
        w.line('return refreshed;');
        w.close();
        reg(f, ['env', 'strs'], 'number');
      } },
      { id: 'remove', gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `remove${q}${E}For`);
        const c = fnCtx(f);
        const s = scope0([['env', 'env'], ['ownerId', 'owner'], ['id', 'id']]);
        w.open(`export async function ${f}(env: Env, ownerId: string, id: string): Promise<boolean>`);
        w.line(`const item = await ${load}(env, id);`);
        w.open('if (!item)');
        w.line('return false;');
        w.close();
        w.open('if (item.ownerId !== ownerId)');
        w.line(`throw new ForbiddenError('${name}: not yours to delete');`);
        w.close();
        s.add('item', T);
        this.filler(c, w, s, rng.int(0, 2));
        w.open('try');
        w.line(`const removed = await delete${E}(id);`);
        w.line(`await invalidate${E}(env, id);`);
        w.line('return removed;');
        w.mid('} catch (err) {');
        w.line(`console.error('${name}: delete failed', err);`);
        w.line(`throw new ConflictError(\`${name} \${id} is still referenced\`);`);
        w.close();
        w.close();
        reg(f, ['env', 'owner', 'id'], 'boolean');
      } },
      { id: 'sign', max: 1, weight: 0.5, gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `sign${q}${E}Link`);
        w.open(`export function ${f}(id: string, expiresAt: number): string`);
        w.line("const secret = process.env.LINK_SIGNING_SECRET ?? '';");
        w.open('if (secret.length === 0)');
        w.line("throw new Error('LINK_SIGNING_SECRET is not set');");
        w.close();
        w.line(`const signature = hashString(\`\${secret}:${name}:\${id}:\${expiresAt}\`).toString(16);`);
        w.line(`return \`/${d.table}/\${id}?expires=\${expiresAt}&sig=\${signature}\`;`);
        w.close();
        this.register({ name: f, module, layer: 'service', domain: name, async: false, params: ['id', 'number'], ret: 'string' });
      } },
      { id: 'notify', max: 1, weight: 0.4, gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `notify${q}${E}Webhook`);
        w.open(`export async function ${f}(item: ${E}): Promise<boolean>`);
        w.line(`const response = await fetch('https://hooks.example.com/${name}', {`);
        w.line("  method: 'POST',");
        w.line("  headers: { 'content-type': 'application/json' },");
        w.line('  body: JSON.stringify({ id: item.id, status: item.status, amount: item.amount }),');
        w.line('});');
        w.line('return response.ok;');
        w.close();
        reg(f, [T], 'boolean');
      } },
      { id: 'audit', gen: (w) => {
        const { name: f } = this.nameWithQualifier((q) => `audit${q}${E}Activity`);
        const c = fnCtx(f);
        const s = scope0([['env', 'env'], ['ownerId', 'owner']]);
        w.open(`export async function ${f}(env: Env, ownerId: string): Promise<number>`);
        w.line(`const items = await list${Es}ByOwner(ownerId, ${rng.pick([20, 40, 80])});`);
        w.line('let flagged = 0;');
        w.open('for (const item of items)');
        w.open('try');
        const inner = s.child();
        inner.add('item', T);
        inner.add('flagged', 'number', true);
        this.filler(c, w, inner, rng.int(1, 2), 2);
        w.mid('} catch (err) {');
        w.line('flagged += 1;');
        w.line(`console.warn('${name}: audit found a problem', item.id, err);`);
        w.close();
        w.close();
        s.add('items', TS);
        s.add('flagged', 'number', true);
        this.filler(c, w, s, rng.int(0, 2));
        w.line('return flagged;');
        w.close();
        reg(f, ['env', 'owner'], 'number');
      } },
    ];
    this.fillModule(w, target, templates, 8);
    return this.emitModule(module, w.text());
  }

  // ---- handlers -------------------------------------------------------------------------

  handlerModule(d, target) {
    const module = `handlers/${d.name}`;
    const { E, Es, name } = d;
    const rng = this.rng;
    const w = new Writer();
    const mains = this.callables.filter((c) => c.domain === name && c.layer === 'service' && c.async);
    const kinds = [
      { verb: 'Get', method: 'GET', params: [['id', 'id']] },
      { verb: 'List', method: 'GET', params: [['limit', 'number']] },
      { verb: 'Create', method: 'POST', params: [['payload', 'unknown']] },
      { verb: 'Update', method: 'PATCH', params: [['id', 'id'], ['payload', 'unknown'], ['next', 'string']] },
      { verb: 'Delete', method: 'DELETE', params: [['id', 'id']] },
      { verb: 'Show', method: 'GET', params: [['id', 'id']], cached: true },
      { verb: 'Report', method: 'GET', params: [], cached: true },
    ];
    const templates = [{ id: 'handler', gen: (w) => {
      const k = rng.pick(kinds);
      const hName = this.uniqueName(`handle${k.verb}${rng.chance(0.5) ? rng.pick(QUALIFIERS).word : ''}${k.verb === 'List' || k.verb === 'Report' ? Es : E}`);
      const ctx = this.ctx(d, 'handler', module, true, hName);
      const s = this.newScope();
      s.add('env', 'env');
      w.line('/** @stopline entry edge */');
      w.open(`export async function ${hName}(request: Request, env: Env): Promise<Response>`);
      w.open(`if (request.method !== '${k.method}')`);
      w.line("return json({ error: 'method not allowed' }, 405);");
      w.close();
      w.open('try');
      w.line('const userId = await requireUser(request, env);');
      s.add('userId', 'owner');
      w.line('const url = new URL(request.url);');
      for (const [p, t] of k.params) {
        if (p === 'id') w.line("const id = requireParam(url, 'id');");
        if (p === 'limit') w.line(`const limit = intParam(url, 'limit', ${rng.pick([10, 20, 50])});`);
        if (p === 'payload') w.line('const payload = await readJson(request);');
        if (p === 'next') w.line("const next = url.searchParams.get('status') ?? '';");
        s.add(p, t);
      }
      let cacheKey = null;
      if (k.cached) {
        cacheKey = s.fresh('pageKey');
        const idPart = k.params.length ? '${id}' : '${userId}';
        w.line(`const ${cacheKey} = \`page:${name}:${k.verb.toLowerCase()}:${idPart}\`;`);
        w.line(`const cached = await env.CACHE.get(${cacheKey});`);
        w.open('if (cached !== null)');
        w.line("return new Response(cached, { headers: { 'content-type': 'application/json' } });");
        w.close();
      }
      // The main call: a service of this domain the scope can serve, preferring the verb.
      const prefer = { Get: 'get', List: 'rank', Create: 'create', Update: 'change', Delete: 'remove', Show: 'render', Report: 'summarize' }[k.verb];
      const usable = mains.filter((c) => c.params.every((p) => s.expr(p, rng) !== null));
      const preferred = usable.filter((c) => c.name.startsWith(prefer));
      const main = preferred.length ? rng.pick(preferred) : usable.length ? rng.pick(usable) : null;
      if (main) {
        const v = main.ret === 'void' ? null : this.varFor(main.ret, s);
        w.line(`${v ? `const ${v} = ` : ''}${this.callExpr(main, s)};`);
        if (v) s.add(v, main.ret);
      }
      this.filler(ctx, w, s, rng.int(1, 3));
      const values = s.all().filter((x) => !['env', 'unknown'].includes(x.t) && x.name !== 'userId');
      const fields = rng.shuffle(values).slice(0, 4).map((x) => x.name);
      const body = `{ ${['ok: true', ...fields].join(', ')} }`;
      if (cacheKey) {
        w.line(`const body = JSON.stringify(${body});`);
        w.line(`await env.CACHE.put(${cacheKey}, body, { expirationTtl: ${rng.pick([30, 60, 300])} });`);
        w.line("return new Response(body, { headers: { 'content-type': 'application/json' } });");
      } else {
        w.line(`return json(${body}${k.verb === 'Create' ? ', 201' : ''});`);
      }
      w.mid('} catch (err) {');
      w.line('return errorResponse(err);');
      w.close();
      w.close();
      this.handlers++;
    } }];
    this.fillModule(w, target, templates, 6);
    return this.emitModule(module, w.text());
  }

  sessionHandlers() {
    const body = [
      '/** @stopline entry edge */',
      'export async function handleLogin(request: Request, env: Env): Promise<Response> {',
      "  if (request.method !== 'POST') {",
      "    return json({ error: 'method not allowed' }, 405);",
      '  }',
      '  try {',
      '    const payload = (await readJson(request)) as Record<string, unknown>;',
      "    const email = typeof payload.email === 'string' ? payload.email.trim().toLowerCase() : '';",
      "    const password = typeof payload.password === 'string' ? payload.password : '';",
      '    if (email.length === 0 || password.length < 8) {',
      "      throw new ValidationError('email and password are required');",
      '    }',
      "    const result = await pool.query('SELECT id, password_hash FROM users WHERE email = $1', [email]);",
      '    const user = result.rows[0];',
      '    if (!user || Number(user.password_hash) !== hashString(password)) {',
      "      throw new AuthError('wrong email or password');",
      '    }',
      '    const token = await createSession(env, String(user.id), 86400);',
      "    await pool.query('UPDATE users SET last_login_at = now() WHERE id = $1', [user.id]);",
      '    return json({ token });',
      '  } catch (err) {',
      '    return errorResponse(err);',
      '  }',
      '}',
      '',
      '/** @stopline entry edge */',
      'export async function handleLogout(request: Request, env: Env): Promise<Response> {',
      "  const header = request.headers.get('authorization') ?? '';",
      "  if (!header.startsWith('Bearer ')) {",
      '    return json({ ok: true });',
      '  }',
      '  await revokeSession(env, header.slice(7));',
      '  return json({ ok: true });',
      '}',
      '',
    ].join('\n');
    this.handlers += 2;
    return this.emitModule('handlers/session', body);
  }

  generate() {
    this.typeNames = new Set(['Env']);
    this.sharedModules();
    const sharedLines = [...this.files.values()].reduce((s, t) => s + t.split('\n').length - 1, 0);
    const handlerLines = this.sessionHandlers();
    const rest = Math.max(0, this.targetLines - sharedLines - handlerLines);
    // ~300 lines per module, four modules per domain.
    const nDomains = Math.max(1, Math.round(rest / 1200));
    const overshoot = 10; // a module stops after the function that crosses its target
    for (let i = 0; i < nDomains; i++) {
      // Spread what is left over the domains still to come, so the total lands near the target.
      const written = [...this.files.values()].reduce((s, t) => s + t.split('\n').length - 1, 0);
      const perFile = Math.max(0, this.targetLines - written) / (nDomains - i) / 4;
      const d = this.makeDomain(i);
      const t = () => Math.max(40, Math.round(perFile * (0.8 + 0.4 * this.rng.next())) - overshoot);
      this.modelModule(d, t());
      this.repoModule(d, t());
      this.serviceModule(d, t());
      this.handlerModule(d, t());
    }
    return this.files;
  }
}

function tsType(t) {
  switch (t) {
    case 'strs':
      return 'string[]';
    case 'id':
    case 'owner':
      return 'string';
    default:
      return t;
  }
}

// ---------------------------------------------------------------------------------------
// Public API

/**
 * Generates a service of about `lines` lines of TypeScript into `dir` (emptied first).
 * Returns { dir, files, lines, handlers }: `files` counts the .ts files, `lines` their lines.
 */
export function generateService({ lines = 50000, seed = 1, dir }) {
  DOMAINS_BY_NAME.clear();
  const gen = new ServiceGenerator({ lines, seed });
  const files = gen.generate();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const write = (rel, text) => {
    const p = path.join(dir, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  };
  write('package.json', JSON.stringify({
    name: `bench-service-${lines}`,
    version: '0.0.0',
    private: true,
    type: 'module',
    description: `Synthetic stopline benchmark service (~${lines} lines, seed ${seed}); generated by bench/generate.mjs`,
    dependencies: { pg: '8.23.1' },
    devDependencies: { '@cloudflare/workers-types': '5.20261117.1', '@types/node': '20.19.43', '@types/pg': '8.23.1', typescript: '6.0.3' },
  }, null, 2) + '\n');
  write('tsconfig.json', JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      strict: true,
      types: ['node', '@cloudflare/workers-types'],
      skipLibCheck: true,
    },
    include: ['src'],
  }, null, 2) + '\n');
  write('stopline.yaml', [
    'line:',
    '  - stop: client',
    '    trusted: false',
    '    slowdown: 4',
    '  - stop: edge',
    '    latencyMs: 20',
    '  - stop: origin',
    '    latencyMs: 70',
    'stores:',
    '  db: { preset: pg, consistency: strong, home: origin }',
    '  cache: { preset: cloudflare-kv, consistency: eventual, home: origin, replicas: [edge], binding: "src/env.ts#Env.CACHE" }',
    '  sessions: { preset: cloudflare-kv, consistency: eventual, home: origin, replicas: [edge], binding: "src/env.ts#Env.SESSIONS" }',
    '',
  ].join('\n'));
  let total = 0;
  for (const [rel, text] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    write(rel, text);
    total += text.split('\n').length - 1;
  }
  return { dir, files: files.size, lines: total, handlers: gen.handlers };
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--lines') out.lines = Number(argv[++i]);
    else if (a === '--seed') out.seed = Number(argv[++i]);
    else if (a === '--out') out.dir = argv[++i];
    else if (a === '-h' || a === '--help') out.help = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log('usage: node bench/generate.mjs [--lines 50000] [--seed 1] [--out bench/out/svc-<lines>]');
    process.exit(0);
  }
  const lines = args.lines ?? 50000;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dir = path.resolve(args.dir ?? path.join(here, 'out', `svc-${lines}`));
  const r = generateService({ lines, seed: args.seed ?? 1, dir });
  console.log(`${r.dir}: ${r.files} files, ${r.lines} lines, ${r.handlers} handlers`);
}
