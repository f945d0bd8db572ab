// Deterministic synthetic SegmentGraphs (schema `stopline.graph/v1`) for the planner's
// benchmarks: the shape the analyzer emits, at any size, without analysing any code.
//
//   import { syntheticGraph } from './synthetic-graph.mjs';
//   const graph = syntheticGraph({ segments: 100_000, stops: 5, seed: 1, shape: 'service' });
//
//   node bench/synthetic-graph.mjs [--segments 1000] [--stops 3] [--seed 1] [--shape service|giant] [--summary]
//     prints the graph as JSON (or, with --summary, counts and the depth of the deepest tree)
//
// A seeded PRNG (mulberry32) drives every choice: the same options give a byte-identical
// graph on every run and machine. `segments` is met exactly.
//
// The line: `stops` stops from an untrusted client (slowdown 4) through trusted edge stops
// to the origin, with one-way latency and bandwidth per hop. Stores: `db` (sql, strong, homed
// at the origin), `cache` (kv, eventual, homed at the origin, replicated at every stop
// between client and origin) and `drafts` (local, homed at the client). Every entry arrives
// at `edge`, the first stop after the client.
//
// Shapes:
//   service  many entries (handlers) of 200–1000 segments each, nesting at most ~8 regions deep
//   giant    ONE entry holding every segment: a pathological handler (everything inlined):
//            a spine of regions nested inside each other (~70 segment levels deep at 100k
//            segments, ~50 at 10k) with wide blocks along it (up to a few thousand children)
//
// Each entry's tree is what the analyzer builds: a `body` whose children are statements,
// branches (kind `branch`, two `block` sides, each side's count × branchProbability),
// loops (kind `loop`, one `block` body, count × loopFactor; nested at most 3 deep), `try`
// (try/catch/finally blocks; catch runs 5% as often), and calls (a statement whose child is a
// `call` segment whose children are the callee's statements, with the callee's own
// parameters and `(return)` as live variables). A branch near the top of a function may end
// its then-side with `return`; the statements after it then run half as often. About 15% of
// statements access a store (`<segment id>@0`, listed in the segment and in the graph):
// in the service shape 30% of handlers use only the edge-replicated cache (and the client's
// drafts), 20% mostly the database, the rest both;
// variables are block-scoped with realistic sizes, and every segment's liveIn/liveOut names
// the variables that cross its boundary (a compound's are the union of its children's that
// are declared outside it). Facts: a segment whose liveIn/liveOut holds an unserialisable
// variable is no-cut (SL3001); ~0.4% of statements read a secret (SL3005); ~0.15% are pinned
// (SL3010) to a trusted stop. Pinned segments are never no-cut, so every entry is satisfiable.

import { Rng } from './rng.mjs';

/** A bijection on 32-bit integers (murmur3's finaliser): distinct inputs give distinct outputs. */
function mix32(x) {
  x = x >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}
const hex = (x, width) => x.toString(16).padStart(width, '0');

// ---------------------------------------------------------------------------------------
// Line and stores

const STOP_SETS = {
  // name, trusted, slowdown, one-way latencyMs to the previous stop, bandwidthMbps of that hop
  3: [
    ['client', false, 4, 0, null],
    ['edge', true, 1, 20, 50],
    ['origin', true, 1, 70, 100],
  ],
  5: [
    ['client', false, 4, 0, null],
    ['edge', true, 1.5, 15, 50],
    ['shield', true, 1.2, 10, 1000],
    ['region', true, 1, 25, 1000],
    ['origin', true, 1, 45, 100],
  ],
};

function makeLine(stops) {
  const set = STOP_SETS[stops];
  if (!set) {
    // Any other count ≥ 2: client, edge1…edgeN, origin.
    if (!Number.isInteger(stops) || stops < 2) throw new Error(`stops: an integer ≥ 2 (got ${stops})`);
    const out = [{ name: 'client', trusted: false, slowdown: 4, latencyMs: 0, bandwidthMbps: null }];
    for (let i = 1; i < stops - 1; i++) out.push({ name: i === 1 ? 'edge' : `edge${i}`, trusted: true, slowdown: 1, latencyMs: 10 + 5 * i, bandwidthMbps: i === 1 ? 50 : 1000 });
    out.push({ name: 'origin', trusted: true, slowdown: 1, latencyMs: 50, bandwidthMbps: 100 });
    return { stops: out };
  }
  return { stops: set.map(([name, trusted, slowdown, latencyMs, bandwidthMbps]) => ({ name, trusted, slowdown, latencyMs, bandwidthMbps })) };
}

function makeStores(line) {
  const names = line.stops.map((s) => s.name);
  const origin = names[names.length - 1];
  return [
    { name: 'cache', preset: 'cloudflare-kv', kind: 'kv', consistency: 'eventual', home: origin, replicas: names.slice(1, -1), binding: null, urlPrefix: null, declared: 'config' },
    { name: 'db', preset: 'pg', kind: 'sql', consistency: 'strong', home: origin, replicas: [], binding: 'src/db.ts#pool', urlPrefix: null, declared: 'config' },
    { name: 'drafts', preset: 'web-storage', kind: 'local', consistency: 'local', home: names[0], replicas: [], binding: null, urlPrefix: null, declared: 'config' },
  ];
}

const ACCESS_KINDS = [
  // [store, op, api]
  ['db', 'read', 'pg Pool.query'],
  ['db', 'write', 'pg Pool.query'],
  ['cache', 'read', 'KVNamespace.get'],
  ['cache', 'write', 'KVNamespace.put'],
  ['drafts', 'read', 'Storage.getItem'],
  ['drafts', 'write', 'Storage.setItem'],
];
/**
 * Weights of ACCESS_KINDS per kind of handler (picked per entry of the service shape):
 * cache-only handlers that belong at the edge, database-heavy ones that belong at the
 * origin, and mixed ones the planner has to split.
 */
const PROFILES = [
  // [share of entries, name, weights]
  [0.3, 'edge', [0, 0, 80, 15, 3, 2]],
  [0.5, 'mixed', [30, 12, 32, 10, 2, 1]],
  [0.2, 'origin', [60, 30, 8, 2, 0, 0]],
];

const SHAPES = {
  // maxNest: regions nested in one function (calls start again at 0); maxLoops: loops nested;
  // bigShare: most of a block's remaining budget one compound may take; spineShare: the giant
  // handler nests this share of each block one level deeper (ignoring maxNest) while the
  // block holds more than spineMin segments: a deep spine with wide blocks along it;
  // flatChance: a block of ≥ 100 segments holds only statements and calls (besides the spine).
  service: { minEntry: 200, maxEntry: 1000, maxNest: 8, maxLoops: 2, bigShare: 0.6, spineShare: 0, spineMin: Infinity, flatChance: 0, entriesPerFile: 4 },
  giant: { minEntry: Infinity, maxEntry: Infinity, maxNest: 12, maxLoops: 3, bigShare: 0.7, spineShare: 0.85, spineMin: 64, flatChance: 0.1, entriesPerFile: 1 },
};

const LOOP_FACTOR = 10;
const BRANCH_P = 0.5;
const CATCH_P = 0.05;

// ---------------------------------------------------------------------------------------
// Generator

/**
 * A valid SegmentGraph with exactly `segments` segments.
 * @param {{ segments: number, stops?: number, seed?: number, shape?: 'service' | 'giant' }} options
 */
export function syntheticGraph({ segments, stops = 3, seed = 1, shape = 'service' } = {}) {
  if (!Number.isInteger(segments) || segments < 1) throw new Error(`segments: an integer ≥ 1 (got ${segments})`);
  const sh = SHAPES[shape];
  if (!sh) throw new Error(`shape: one of ${Object.keys(SHAPES).join(', ')} (got ${shape})`);
  const rng = new Rng(mix32(seed * 7919 + segments * 31) ^ (shape === 'giant' ? 0x5bd1e995 : 0));
  const line = makeLine(stops);
  const stores = makeStores(line);
  const stopNames = line.stops.map((s) => s.name);
  const trusted = line.stops.filter((s) => s.trusted).map((s) => s.name);
  const arrives = stopNames[1] ?? stopNames[0];

  // Entry sizes.
  const sizes = [];
  if (shape === 'giant') sizes.push(segments);
  else {
    let left = segments;
    while (left > 0) {
      let size = rng.int(sh.minEntry, sh.maxEntry);
      if (left - size < sh.minEntry) size = left <= sh.maxEntry ? left : left - sh.minEntry;
      sizes.push(size);
      left -= size;
    }
  }
  const width = Math.max(4, String(sizes.length - 1).length);

  const allSegments = [];
  const allAccesses = [];
  const variables = new Map(); // id → LiveVariable
  const files = new Map(); // path → next free line
  const entries = [];
  let varSerial = 0;
  let helperSerial = 0;
  let spineSerial = 0;

  // Per variable: serial (declaration order) and kind, for scoping and facts.
  const varInfo = new Map(); // id → { serial, kind, name, declared }

  const nextLine = (file, n = 1) => {
    const l = files.get(file) ?? 1;
    files.set(file, l + n);
    return l;
  };
  const peekLine = (file) => files.get(file) ?? 1;
  const range = (file, sl, sc, el, ec) => ({ file, start: { line: sl, column: sc }, end: { line: el, column: ec } });

  const declare = (name, file, lineNo, column, { kind = 'value', bytes, type, reason = null, like = null } = {}) => {
    const id = `${name}@${file}:${lineNo}:${column}`;
    let v;
    if (like) {
      const src = variables.get(like);
      v = { id, name, type: src.type, kind: src.kind, bytes: src.bytes, reason: src.reason, declared: range(file, lineNo, column, lineNo, column + name.length) };
    } else {
      if (bytes === undefined) {
        bytes = kind === 'value' ? (rng.chance(0.05) ? rng.logInt(16 * 1024, 512 * 1024) : rng.logInt(8, 8 * 1024)) : kind === 'request' ? 1024 : 0;
      }
      if (type === undefined) type = kind === 'value' ? rng.pick(['number', 'string', 'Cart', 'Product[]', 'Order', 'Record<string, string>', 'User', 'PricedLine[]', 'boolean']) : 'unknown';
      v = { id, name, type, kind, bytes, reason, declared: range(file, lineNo, column, lineNo, column + name.length) };
    }
    variables.set(id, v);
    varInfo.set(id, { serial: varSerial++, kind: v.kind, name });
    return id;
  };
  const newValueVar = (file, lineNo, column) => {
    const n = varSerial;
    if (rng.chance(0.015)) {
      return declare(`h${n}`, file, lineNo, column, { kind: 'unserializable', bytes: 0, type: 'Map<string, Handler>', reason: 'Map<string, Handler> holds functions' });
    }
    return declare(`v${n}`, file, lineNo, column);
  };

  for (let e = 0; e < sizes.length; e++) {
    const entryName = shape === 'giant' ? 'giantHandler' : `handler${String(e).padStart(width, '0')}`;
    const fileGroup = Math.floor(e / sh.entriesPerFile);
    const file = shape === 'giant' ? 'src/giant.ts' : `src/routes/routes${String(fileGroup).padStart(width, '0')}.ts`;
    const libFile = shape === 'giant' ? 'src/lib/giant-helpers.ts' : `src/lib/helpers${String(fileGroup).padStart(width, '0')}.ts`;
    let segSerial = 0;
    let profile = PROFILES[1][2];
    if (shape !== 'giant') {
      let r = rng.next();
      for (const [share, , weights] of PROFILES) {
        profile = weights;
        if ((r -= share) < 0) break;
      }
    }
    const profileTotal = profile.reduce((a, b) => a + b, 0);
    const entrySalt = mix32(e + 0x9e3779b9);
    const newId = () => `${entryName}#${hex(mix32(segSerial++ ^ entrySalt), 8)}${hex(e & 0xff, 2)}`;

    /** Makes a segment record (children, liveness and control filled in after its subtree). */
    const seg = (kind, parent, label, segRange, count, weight) => {
      const s = {
        id: newId(),
        entry: entryName,
        parent: parent ? parent.id : null,
        children: [],
        kind,
        label,
        range: segRange,
        callee: null,
        count,
        weight,
        accesses: [],
        liveIn: [],
        liveOut: [],
        mutates: [],
        control: { returns: false, throws: false, breaks: [], continues: [], awaits: false, yields: false },
        facts: [],
      };
      allSegments.push(s);
      if (parent) parent.children.push(s.id);
      return s;
    };

    // Working sets: id → Set per segment, for compound unions.
    const liveIn = new Map();
    const liveOut = new Map();
    const mutates = new Map();

    /** Closes a compound segment: its live sets are its children's, restricted to variables declared before it. */
    const closeCompound = (s, serialAtStart, own = { in: [], out: [] }) => {
      const ins = new Set(own.in);
      const outs = new Set(own.out);
      const muts = new Set();
      let returns = false;
      let throws = false;
      let awaits = false;
      for (const c of s.children) {
        for (const v of liveIn.get(c)) if (varInfo.get(v).serial < serialAtStart) ins.add(v);
        for (const v of liveOut.get(c)) if (varInfo.get(v).serial < serialAtStart) outs.add(v);
        for (const v of mutates.get(c)) if (varInfo.get(v).serial < serialAtStart) muts.add(v);
      }
      for (const c of s.children) {
        const cs = segById.get(c);
        returns ||= cs.control.returns;
        throws ||= cs.control.throws;
        awaits ||= cs.control.awaits;
      }
      liveIn.set(s.id, ins);
      liveOut.set(s.id, outs);
      mutates.set(s.id, muts);
      s.control = { ...s.control, returns: s.control.returns || returns, throws: s.control.throws || throws, awaits: s.control.awaits || awaits };
    };
    const segById = new Map();
    const track = (s) => {
      segById.set(s.id, s);
      return s;
    };

    /** Picks up to `n` distinct variables from the scope, mostly recent ones. */
    const pickVars = (scope, n) => {
      const out = [];
      if (scope.length === 0) return out;
      for (let i = 0; i < n; i++) {
        const back = rng.chance(0.8) ? rng.int(1, Math.min(6, scope.length)) : rng.int(1, Math.min(24, scope.length));
        const v = scope[scope.length - back];
        if (!out.includes(v)) out.push(v);
      }
      return out;
    };

    /** A simple statement under `parent`. */
    const statement = (parent, ctx, { last = false } = {}) => {
      const indent = 2 * ctx.nest + 3;
      const lineNo = nextLine(ctx.file);
      const uses = pickVars(ctx.scope, rng.int(0, 3));
      let label;
      const outs = [];
      const muts = [];
      let returns = false;
      let throws = false;
      if (last && ctx.returnVar) {
        label = `return ${uses[0] ? varInfo.get(uses[0]).name : 'null'};`;
        outs.push(ctx.returnVar);
        returns = true;
      } else if (last && ctx.earlyReturn) {
        label = `return json({ error: 'not found' }, 404);`;
        returns = true;
      } else if (rng.chance(0.55)) {
        const id = newValueVar(ctx.file, lineNo, indent + 6);
        label = `const ${varInfo.get(id).name} = compute(${uses.map((u) => varInfo.get(u).name).join(', ')});`;
        outs.push(id);
      } else if (uses.length && ctx.outerFloor > 0 && rng.chance(0.25)) {
        // Assigns a variable declared outside the enclosing region.
        const outer = ctx.scope.slice(-24).filter((v) => varInfo.get(v).serial < ctx.outerFloor && varInfo.get(v).kind === 'value');
        if (outer.length) {
          const v = outer[outer.length - 1 - Math.min(outer.length - 1, rng.int(0, 3))];
          label = `${varInfo.get(v).name} = update(${uses.map((u) => varInfo.get(u).name).join(', ')});`;
          outs.push(v);
        } else label = `check(${uses.map((u) => varInfo.get(u).name).join(', ')});`;
      } else if (uses.length && rng.chance(0.1)) {
        const v = uses[0];
        label = `${varInfo.get(v).name}.items.push(${uses.slice(1).map((u) => varInfo.get(u).name).join(', ') || '1'});`;
        if (varInfo.get(v).kind === 'value') muts.push(v);
      } else if (rng.chance(0.04)) {
        label = `throw new Conflict('${ctx.entryName}');`;
        throws = true;
      } else {
        label = `check(${uses.map((u) => varInfo.get(u).name).join(', ')});`;
      }
      const weight = rng.chance(0.03) ? rng.int(150, 600) : rng.int(1, 60);
      const s = track(seg('statement', parent, label.slice(0, 80), range(ctx.file, lineNo, indent, lineNo, indent + label.length), ctx.count, weight));
      s.control = { ...s.control, returns, throws };
      // Store access.
      if (!returns && !throws && rng.chance(0.15)) {
        let r = rng.next() * profileTotal;
        let kind = ACCESS_KINDS[ACCESS_KINDS.length - 1];
        for (let i = 0; i < ACCESS_KINDS.length; i++) {
          r -= profile[i];
          if (r < 0) {
            kind = ACCESS_KINDS[i];
            break;
          }
        }
        const [store, op, api] = kind;
        const id = `${s.id}@0`;
        s.accesses.push(id);
        s.control = { ...s.control, awaits: store !== 'drafts' };
        allAccesses.push({
          id,
          entry: entryName,
          segment: s.id,
          store,
          op,
          api,
          range: range(ctx.file, lineNo, indent + 10, lineNo, indent + 10 + api.length + 8),
          count: ctx.count,
          resolvedBy: 'symbol',
        });
      }
      liveIn.set(s.id, new Set(uses));
      liveOut.set(s.id, new Set(outs));
      mutates.set(s.id, new Set(muts));
      // A new declaration is visible to the statements after it in the block.
      if (outs.length === 1 && varInfo.get(outs[0]).serial >= ctx.outerFloor && outs[0] !== ctx.returnVar && label.startsWith('const ')) ctx.scope.push(outs[0]);
      return s;
    };

    /**
     * Fills `parent` (a body or block) with exactly `budget` segments: a run of statements
     * and compound regions. `ctx`: { file, count, nest, loops, scope, outerFloor, functionLevel, returnVar, entryName }.
     */
    const fill = (parent, budget, ctx) => {
      // A function returning a value, or a branch side ending in an early return, ends with a return statement.
      const needsLast = budget > 0 && (ctx.returnVar !== null || ctx.earlyReturn);
      let left = budget - (needsLast ? 1 : 0);
      let count = ctx.count;
      const scopeLen = ctx.scope.length;
      // The spine (giant shape): after a few constructs, one compound takes most of the block.
      let spineAt = ctx.spine && left >= sh.spineMin ? rng.int(0, 3) : -1;
      // Wide blocks (giant shape): a long flat run of statements (and calls), like a big switch arm.
      const flat = left >= 100 && rng.chance(sh.flatChance);
      let made = 0;
      while (left > 0) {
        const room = left;
        if (made++ === spineAt) {
          spineAt = -1;
          const kinds = ['branch', 'loop', 'try', 'call'];
          let kind = kinds[spineSerial++ % kinds.length];
          if (kind === 'loop' && ctx.loops >= sh.maxLoops) kind = 'branch';
          const overhead = kind === 'branch' || kind === 'try' ? 4 : 2;
          const used = compound(kind, parent, Math.min(room - overhead, Math.floor(room * sh.spineShare)), { ...ctx, count, spineChild: true });
          left -= used;
          continue;
        }
        const canNest = ctx.nest < sh.maxNest && !flat;
        // Decide the next construct; compounds need a minimum number of segments.
        let kind = 'statement';
        const r = rng.next();
        if (canNest) {
          if (r < 0.1 && room >= 3) kind = 'call';
          else if (r < 0.23 && room >= 5) kind = 'branch';
          else if (r < 0.31 && room >= 3 && ctx.loops < sh.maxLoops) kind = 'loop';
          else if (r < 0.35 && room >= 6) kind = 'try';
        } else if (r < 0.06 && room >= 3) kind = 'call'; // calls start a new function scope
        const sub = { ...ctx, count };
        if (kind === 'statement') {
          statement(parent, sub);
          left -= 1;
          continue;
        }
        // Inner budget: log-uniform, capped at a share of what is left (more when nothing else fits).
        const overhead = kind === 'call' ? 2 : kind === 'loop' ? 2 : kind === 'branch' ? 3 : 4;
        const cap = Math.max(1, Math.min(room - overhead, Math.floor(room * sh.bigShare), flat ? 30 : Infinity));
        const min = kind === 'branch' ? 2 : kind === 'try' ? 2 : 1;
        if (cap < min) {
          statement(parent, sub);
          left -= 1;
          continue;
        }
        // The giant handler sometimes nests most of what is left one level deeper (a deep spine).
        const inner = rng.logInt(min, cap);
        const used = compound(kind, parent, inner, sub);
        left -= used;
        // An early return at the top of a function: what follows runs half as often.
        if (kind === 'branch' && ctx.functionLevel && segById.get(parent.children[parent.children.length - 1]).control.returns) count *= 1 - BRANCH_P;
      }
      if (needsLast) statement(parent, { ...ctx, count }, { last: true });
      ctx.scope.length = scopeLen; // block scope ends
    };

    /** Builds one compound region with `inner` segments inside (plus its own); returns the total used. */
    const compound = (kind, parent, inner, ctx) => {
      const file = ctx.file;
      const indent = 2 * ctx.nest + 3;
      const serial = varSerial;
      const startLine = peekLine(file);
      const spine = ctx.spineChild === true;
      const inside = { ...ctx, nest: ctx.nest + 1, outerFloor: serial, functionLevel: false, returnVar: null, earlyReturn: false, scope: ctx.scope, spine: false, spineChild: false };
      if (kind === 'branch') {
        const cond = pickVars(ctx.scope, 1);
        nextLine(file);
        const label = `if (${cond[0] ? varInfo.get(cond[0]).name : 'flag'}.ok)`;
        const b = track(seg('branch', parent, label, null, ctx.count, rng.int(1, 8)));
        const thenN = spine ? inner - Math.max(1, Math.floor(inner / 20)) : inner <= 2 ? 1 : rng.int(1, inner - 1);
        const sides = [
          ['then', thenN],
          ['else', inner - thenN],
        ];
        const early = ctx.functionLevel && ctx.count > 0 && rng.chance(0.25);
        for (const [side, n] of sides) {
          const bl = peekLine(file);
          const blk = track(seg('block', b, side, null, ctx.count * BRANCH_P, 0));
          fill(blk, n, { ...inside, count: ctx.count * BRANCH_P, earlyReturn: early && side === 'then', spine: spine && side === 'then' });
          blk.range = range(file, bl, indent, peekLine(file), indent + 1);
          nextLine(file);
          closeCompound(blk, serial);
        }
        b.range = range(file, startLine, indent, peekLine(file) - 1, indent + 1);
        closeCompound(b, serial, { in: cond, out: [] });
        return 3 + inner;
      }
      if (kind === 'loop') {
        const over = pickVars(ctx.scope, 1);
        nextLine(file);
        const item = declare(`item${varSerial}`, file, startLine, indent + 11, { bytes: rng.logInt(16, 2048) });
        const label = `for (const ${varInfo.get(item).name} of ${over[0] ? varInfo.get(over[0]).name : 'list'})`;
        const l = track(seg('loop', parent, label, null, ctx.count, rng.int(2, 8)));
        const bodyCount = ctx.count * LOOP_FACTOR;
        const blk = track(seg('block', l, 'body', null, bodyCount, 0));
        const scopeLen = ctx.scope.length;
        ctx.scope.push(item);
        fill(blk, inner, { ...inside, count: bodyCount, loops: ctx.loops + 1, spine });
        ctx.scope.length = scopeLen;
        blk.range = range(file, startLine, indent + 20, peekLine(file), indent + 1);
        nextLine(file);
        closeCompound(blk, serial);
        l.range = range(file, startLine, indent, peekLine(file) - 1, indent + 1);
        closeCompound(l, serial, { in: over, out: [] });
        return 2 + inner;
      }
      if (kind === 'try') {
        nextLine(file);
        const t = track(seg('try', parent, 'try', null, ctx.count, 0));
        // try block ≥ 1, catch ≥ 1, finally (optional) ≥ 1 when present.
        const withFinally = inner >= 3 && rng.chance(0.4);
        const finN = withFinally ? rng.int(1, Math.max(1, Math.floor(inner / (spine ? 40 : 4)))) : 0;
        const catchN = Math.max(1, Math.min(inner - finN - 1, rng.int(1, Math.max(1, Math.floor(inner / (spine ? 40 : 4))))));
        const tryN = inner - finN - catchN;
        const parts = [
          ['try', tryN, ctx.count],
          ['catch', catchN, ctx.count * CATCH_P],
          ...(withFinally ? [['finally', finN, ctx.count]] : []),
        ];
        for (const [name, n, c] of parts) {
          const bl = peekLine(file);
          const blk = track(seg('block', t, name, null, c, 0));
          fill(blk, n, { ...inside, count: c, spine: spine && name === 'try' });
          blk.range = range(file, bl, indent, peekLine(file), indent + 1);
          nextLine(file);
          closeCompound(blk, serial);
        }
        t.range = range(file, startLine, indent, peekLine(file) - 1, indent + 1);
        closeCompound(t, serial);
        return 1 + parts.length + inner;
      }
      // call: a statement whose child is the inlined callee.
      const args = pickVars(ctx.scope, rng.int(1, 3));
      const helper = `helper${helperSerial++}`;
      const lineNo = nextLine(file);
      const usesResult = rng.chance(0.7);
      const result = usesResult ? newValueVar(file, lineNo, indent + 6) : null;
      const callText = `${helper}(${args.map((a) => varInfo.get(a).name).join(', ')})`;
      const stLabel = usesResult ? `const ${varInfo.get(result).name} = await ${callText};` : `await ${callText};`;
      const st = track(seg('statement', parent, stLabel.slice(0, 80), range(file, lineNo, indent, lineNo, indent + stLabel.length), ctx.count, rng.int(4, 12)));
      // The callee, in the library file: its parameters mirror the arguments.
      const declLine = nextLine(libFile);
      const params = args.map((a, i) => declare(`p${i}`, libFile, declLine, 20 + 12 * i, { like: a }));
      const ret = usesResult ? declare('(return)', libFile, declLine, 1, { like: null, bytes: rng.logInt(16, 4096), type: 'Result' }) : null;
      const call = track(seg('call', st, callText.slice(0, 80), range(file, lineNo, indent + (usesResult ? 16 : 6), lineNo, indent + (usesResult ? 16 : 6) + callText.length), ctx.count, 0));
      const calleeSerial = varSerial;
      fill(call, inner, {
        ...ctx,
        file: libFile,
        nest: 0,
        scope: [...params],
        outerFloor: 0,
        functionLevel: true,
        returnVar: ret,
        earlyReturn: false,
        spine,
        spineChild: false,
      });
      const declEnd = nextLine(libFile);
      call.callee = { name: helper, range: range(libFile, declLine, 1, declEnd, 2) };
      // The call's own live sets: the callee's parameters in, its return value out.
      liveIn.set(call.id, new Set(params));
      liveOut.set(call.id, new Set(ret ? [ret] : []));
      const muts = new Set();
      for (const c of call.children) for (const v of mutates.get(c)) if (varInfo.get(v).serial < calleeSerial) muts.add(v);
      mutates.set(call.id, muts);
      let throws = false;
      let awaits = false;
      for (const c of call.children) {
        throws ||= segById.get(c).control.throws;
        awaits ||= segById.get(c).control.awaits;
      }
      call.control = { ...call.control, throws, awaits };
      // The statement: the caller's arguments in, the result out.
      liveIn.set(st.id, new Set(args));
      liveOut.set(st.id, new Set(result ? [result] : []));
      // A callee mutating a parameter mutates the caller's argument.
      const stMuts = new Set();
      for (const p of muts) {
        const i = params.indexOf(p);
        if (i >= 0 && varInfo.get(args[i]).kind === 'value') stMuts.add(args[i]);
      }
      mutates.set(st.id, stMuts);
      st.control = { ...st.control, throws, awaits: true };
      if (result) ctx.scope.push(result);
      return 2 + inner;
    };

    // The entry's root.
    const handlerLine = nextLine(file);
    const rootScope = [];
    const request = declare('request', file, handlerLine, 30, { kind: 'request', bytes: 1024, type: 'Request', reason: 'Request is request-scoped' });
    const env = declare('env', file, handlerLine, 48, { kind: 'store-handle', bytes: 0, type: 'Env', reason: 'Env holds store bindings' });
    rootScope.push(request, env);
    // The handler's response: the last statement returns it (request-scoped, like a Response).
    const response = declare('(return)', file, handlerLine, 1, { kind: 'request', bytes: 1024, type: 'Response', reason: 'Response is request-scoped' });
    const rootSerial = varSerial;
    const root = track(seg('body', null, `${entryName}()`, null, 1, 0));
    fill(root, sizes[e] - 1, {
      file,
      count: 1,
      nest: 0,
      loops: 0,
      scope: rootScope,
      outerFloor: rootSerial,
      functionLevel: true,
      returnVar: response,
      earlyReturn: false,
      entryName,
      spine: true,
      spineChild: false,
    });
    const endLine = nextLine(file);
    nextLine(file); // blank line between handlers
    root.range = range(file, handlerLine, 80, endLine, 2);
    closeCompound(root, rootSerial);
    liveOut.set(root.id, new Set()); // the response leaves with the request, not as a live-out
    entries.push({
      name: entryName,
      arrives,
      source: 'config',
      handler: { name: entryName, range: range(file, handlerLine, 1, endLine, 2) },
      route: null,
      root: root.id,
    });

    // Write the live sets, then the facts (which depend on them).
    const firstOfEntry = allSegments.length - sizes[e];
    for (let i = firstOfEntry; i < allSegments.length; i++) {
      const s = allSegments[i];
      s.liveIn = [...liveIn.get(s.id)].sort();
      s.liveOut = [...liveOut.get(s.id)].sort();
      s.mutates = [...mutates.get(s.id)].sort();
      const bad = [...s.liveIn, ...s.liveOut].find((v) => varInfo.get(v).kind === 'unserializable');
      if (bad && s.parent !== null) {
        const v = variables.get(bad);
        s.facts = [{
          kind: 'no-cut',
          code: 'SL3001',
          message: `'${v.name}' (${v.type}) is not serialisable: ${v.reason}; the segment stays with its parent`,
          range: s.range,
          stop: null,
          variable: v.name,
          related: [{ message: `'${v.name}' is declared here`, range: v.declared }],
        }];
      } else if (s.kind === 'statement' && s.parent !== null) {
        if (rng.chance(0.004)) {
          s.facts = [{ kind: 'secret', code: 'SL3005', message: 'Reads a secret (env.API_KEY): never placed on an untrusted stop', range: s.range, stop: null, variable: null, related: [] }];
        } else if (rng.chance(0.0015)) {
          const stop = rng.chance(0.7) ? trusted[trusted.length - 1] : rng.pick(trusted);
          s.facts = [{ kind: 'pin', code: 'SL3010', message: `Pinned to '${stop}' by stopline.yaml`, range: s.range, stop, variable: null, related: [] }];
        }
      }
    }
    if (allSegments.length - firstOfEntry !== sizes[e]) {
      throw new Error(`synthetic-graph: entry ${entryName} has ${allSegments.length - firstOfEntry} segments, expected ${sizes[e]} (generator bug)`);
    }
  }

  const vars = [...variables.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let lines = 0;
  for (const n of files.values()) lines += n - 1;
  return {
    schema: 'stopline.graph/v1',
    line,
    stores,
    settings: { loopFactor: LOOP_FACTOR, branchProbability: BRANCH_P, inlineDepth: 8, inlineBudget: Math.max(4000, ...sizes) },
    entries,
    segments: allSegments,
    variables: vars,
    accesses: allAccesses,
    diagnostics: [],
    stats: { files: files.size, lines, segments: allSegments.length, accesses: allAccesses.length },
  };
}

/** Counts and invariants of a graph (for the CLI and for sanity checks). */
export function graphSummary(graph) {
  const byId = new Map(graph.segments.map((s) => [s.id, s]));
  const vars = new Set(graph.variables.map((v) => v.id));
  const kinds = {};
  const facts = {};
  let maxDepth = 0;
  const problems = [];
  for (const s of graph.segments) {
    kinds[s.kind] = (kinds[s.kind] ?? 0) + 1;
    for (const f of s.facts) facts[f.code] = (facts[f.code] ?? 0) + 1;
    for (const v of [...s.liveIn, ...s.liveOut, ...s.mutates]) if (!vars.has(v)) problems.push(`${s.id}: unknown variable ${v}`);
    for (const c of s.children) if (byId.get(c)?.parent !== s.id) problems.push(`${s.id}: child ${c} does not point back`);
    if (s.kind === 'loop' && byId.get(s.children[0]).count !== s.count * graph.settings.loopFactor) problems.push(`${s.id}: loop body count`);
    if (s.kind === 'branch' && s.children.some((c) => byId.get(c).count !== s.count * graph.settings.branchProbability)) problems.push(`${s.id}: branch side count`);
  }
  const depth = new Map();
  for (const s of graph.segments) {
    const d = s.parent === null ? 1 : depth.get(s.parent) + 1;
    depth.set(s.id, d);
    if (d > maxDepth) maxDepth = d;
  }
  const accessIds = new Set(graph.accesses.map((a) => a.id));
  for (const s of graph.segments) for (const a of s.accesses) if (!accessIds.has(a)) problems.push(`${s.id}: access ${a} missing from graph.accesses`);
  if (new Set(byId.keys()).size !== graph.segments.length || byId.size !== graph.segments.length) problems.push('duplicate segment ids');
  const sizes = new Map();
  for (const s of graph.segments) sizes.set(s.entry, (sizes.get(s.entry) ?? 0) + 1);
  return {
    entries: graph.entries.length,
    segments: graph.segments.length,
    accesses: graph.accesses.length,
    variables: graph.variables.length,
    maxDepth,
    entrySegments: { min: Math.min(...sizes.values()), max: Math.max(...sizes.values()) },
    kinds,
    facts,
    problems: problems.slice(0, 10),
  };
}

// CLI
if (import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1] ?? '').href) {
  const opts = { segments: 1000, stops: 3, seed: 1, shape: 'service' };
  let summary = false;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--summary') summary = true;
    else if (a === '--shape') opts.shape = argv[++i];
    else if (['--segments', '--stops', '--seed'].includes(a)) opts[a.slice(2)] = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  const g = syntheticGraph(opts);
  process.stdout.write(summary ? JSON.stringify(graphSummary(g), null, 2) + '\n' : JSON.stringify(g) + '\n');
}
