import { describe, expect, it } from 'vitest';
import { capabilities, loadCase, matcherFor, type CaseOptions, type FoundCapability } from './harness.js';

const dom: CaseOptions = { libs: ['lib.dom.d.ts', 'lib.dom.iterable.d.ts'] };
const workers: CaseOptions = { types: ['@cloudflare/workers-types'] };

type Row = readonly [line: number, column: number, capability: string, api: string];

function run(dir: string, options?: CaseOptions): { rows: Row[]; all: FoundCapability[]; analyzer: FoundCapability[] } {
  const loaded = loadCase(dir, options);
  const matcher = matcherFor(loaded, []);
  const analyzer = capabilities(loaded, matcher);
  // Asking about every node (not only as the analyzer walks) reports each use once, at the same place.
  const all = capabilities(loaded, matcher, { all: true });
  return { rows: analyzer.map((c) => [c.line, c.column, c.capability, c.api] as const), all, analyzer };
}

describe('dom', () => {
  it('matches lib.dom globals and DOM members, once per use, at the outermost node', () => {
    const { rows, all, analyzer } = run('dom/valid', dom);
    expect(rows).toEqual([
      [2, 16, 'client-only', 'document.querySelector'],
      [3, 3, 'client-only', 'document.title'], // an assignment target too
      [4, 3, 'client-only', 'window.scrollTo'],
      [5, 3, 'client-only', 'alert'],
      [6, 3, 'client-only', 'requestAnimationFrame'],
      [7, 14, 'client-only', 'document.createElement'],
      [8, 3, 'client-only', 'HTMLLIElement.textContent'],
      // `add` is also Set.add (an ES lib name): the distinctive `classList` reports the use.
      [9, 3, 'client-only', 'HTMLLIElement.classList'],
      [10, 3, 'client-only', 'Element.appendChild'],
      [11, 3, 'client-only', 'history.pushState'],
      [12, 15, 'client-only', 'location.href'], // console.log is not client-only
      [12, 30, 'client-only', 'navigator.language'],
    ]);
    expect(all).toEqual(analyzer);
    expect(analyzer.every((c) => c.preset === 'dom')).toBe(true);
  });

  it('ignores what every stop has (fetch, console, setTimeout, crypto, URL, TextEncoder, Response), typeof guards, types and a local `document`', () => {
    const { all } = run('dom/invalid', dom);
    expect(all).toEqual([]);
  });

  it("ignores the workers runtime's own navigator", () => {
    expect(run('dom/workers', workers).all).toEqual([]);
  });
});

describe('secrets', () => {
  it('matches process.env, Deno.env.get, fastly:secret-store and fastly:env', () => {
    const { rows, all, analyzer } = run('secrets/valid');
    expect(rows).toEqual([
      [5, 15, 'secret', 'process.env'],
      [6, 15, 'secret', 'process.env'], // process.env['DATABASE_URL']
      [7, 17, 'secret', 'Deno.env.get'],
      [8, 24, 'secret', 'SecretStore.get'],
      [9, 16, 'secret', 'fastly:env.env'],
    ]);
    expect(all).toEqual(analyzer);
  });

  it('ignores process.argv, process.cwd(), a user env() and a settings object', () => {
    expect(run('secrets/invalid').all).toEqual([]);
  });
});

describe('node-server', () => {
  it('matches anything from fs, fs/promises, child_process, net, worker_threads, with or without node:, under any local name', () => {
    const { rows, all, analyzer } = run('node-server/valid');
    expect(rows).toEqual([
      [9, 3, 'server-only', 'fs.readFileSync'], // import { readFileSync as read } from 'node:fs'
      [10, 9, 'server-only', 'fs/promises.readFile'],
      [11, 3, 'server-only', 'fs.existsSync'],
      [12, 9, 'server-only', 'fs/promises.writeFile'], // fs.promises.writeFile
      [13, 3, 'server-only', 'child_process.spawn'],
      [14, 3, 'server-only', 'net.createServer'],
      [15, 7, 'server-only', 'worker_threads.Worker'],
    ]);
    expect(all).toEqual(analyzer);
  });

  it('falls back to the import chain when @types/node is missing, with SL2003', () => {
    const loaded = loadCase('node-server/valid', { types: [] });
    const matcher = matcherFor(loaded, []);
    const found = capabilities(loaded, matcher);
    expect(found.map((c) => [c.line, c.column, c.capability, c.api])).toEqual([
      [9, 3, 'server-only', 'fs.readFileSync'],
      [10, 9, 'server-only', 'fs/promises.readFile'],
      [11, 3, 'server-only', 'fs.existsSync'],
      [12, 9, 'server-only', 'fs.promises.writeFile'],
      [13, 3, 'server-only', 'child_process.spawn'],
      [14, 3, 'server-only', 'net.createServer'],
      [15, 7, 'server-only', 'worker_threads.Worker'],
    ]);
    expect(capabilities(loaded, matcher, { all: true })).toEqual(found);
    const diags = matcher.diagnostics();
    expect(diags.every((d) => d.code === 'SL2003' && d.category === 'warning')).toBe(true);
    expect(diags.map((d) => d.range?.start.line)).toEqual([9, 10, 11, 12, 13, 14, 15]);
  });

  it('ignores path, crypto, events, Buffer, type-only imports and a user readFileSync', () => {
    expect(run('node-server/invalid').all).toEqual([]);
  });
});
