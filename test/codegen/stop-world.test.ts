import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { types as witTypes } from '@bytecodealliance/jco';
import { afterAll, describe, expect, it } from 'vitest';
import { stopWorld, witIdentifier, writeStopWorld } from '../../codegen/component/world.js';

/**
 * A stop's own WIT world (codegen/component/world.ts): exactly the interfaces its bundle
 * imports plus the dispatch export, resolvable with the packages it ships in deps/.
 */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stopline-stop-world-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function surface(dir: string, world: string): Promise<{ imports: string[]; exports: string[] }> {
  const files = await witTypes(dir, { worldName: world, guest: true, quiet: true });
  const text = new TextDecoder().decode(Object.entries(files).find(([name]) => name === `${world}.d.ts`)![1]);
  const grab = (kind: string): string[] => [...text.matchAll(new RegExp(`// ${kind} ([\\w:/.@-]+)`, 'g'))].map((m) => m[1]!).sort();
  return { imports: grab('import'), exports: grab('export') };
}

describe('a stop world', () => {
  it('imports exactly what the stop uses and exports dispatch, and resolves with its deps (wit-parser through jco)', async () => {
    const world = stopWorld('edge', ['wasi:keyvalue/store@0.2.0-draft', 'stopline:line/link@0.1.0', 'stopline:line/link@0.1.0']);
    expect(world.name).toBe('edge');
    expect(world.files.get('world.wit')).toContain('world edge {\n  import stopline:line/link@0.1.0;\n  import wasi:keyvalue/store@0.2.0-draft;\n  export stopline:line/dispatch@0.1.0;\n}');
    expect([...world.files.keys()].filter((f) => f.startsWith('deps/line/'))).toEqual(['deps/line/line.wit']);
    const dir = path.join(tmp, 'edge');
    writeStopWorld(world, dir);
    const s = await surface(dir, 'edge');
    expect(s.exports).toEqual(['stopline:line/dispatch@0.1.0']);
    expect(s.imports).toEqual(expect.arrayContaining(['stopline:line/link@0.1.0', 'wasi:keyvalue/store@0.2.0-draft']));
    expect(s.imports.some((i) => i.startsWith('stopline:line/sql'))).toBe(false);
  });

  it('a server stop\'s world also exports wasi:http/incoming-handler@0.2.10, with the wasi:http packages derived from jco\'s builtin WIT', async () => {
    const world = stopWorld('origin', ['stopline:line/link@0.1.0', 'wasi:http/types@0.2.10'], { http: true });
    expect(world.files.get('world.wit')).toContain('  import wasi:http/types@0.2.10;\n  export stopline:line/dispatch@0.1.0;\n  export wasi:http/incoming-handler@0.2.10;\n}');
    const deps = [...world.files.keys()].filter((f) => f.startsWith('deps/wasi-'));
    expect(deps).toEqual(['deps/wasi-cli/package.wit', 'deps/wasi-clocks/package.wit', 'deps/wasi-filesystem/package.wit', 'deps/wasi-http/package.wit', 'deps/wasi-io/package.wit', 'deps/wasi-random/package.wit', 'deps/wasi-sockets/package.wit']);
    for (const f of deps) {
      expect(world.files.get(f)).not.toContain('@0.2.12');
      expect(world.files.get(f)).not.toContain('network-error-code)');
    }
    expect(world.files.get('deps/wasi-http/package.wit')).toMatch(/^package wasi:http@0\.2\.10;/);
    const dir = path.join(tmp, 'origin-http');
    writeStopWorld(world, dir);
    const s = await surface(dir, 'origin');
    expect(s.exports).toEqual(['stopline:line/dispatch@0.1.0', 'wasi:http/incoming-handler@0.2.10']);
    expect(s.imports).toEqual(expect.arrayContaining(['wasi:http/types@0.2.10']));
    expect(stopWorld('client', ['stopline:line/link@0.1.0']).files.get('world.wit')).not.toContain('wasi:http');
  });

  it('names stops as WIT identifiers, and refuses what is not an interface name', () => {
    expect(['edge', 'Origin', 'eu_west 2', '2nd-edge', 'shield.eu'].map(witIdentifier)).toEqual(['edge', 'origin', 'eu-west-n2', 'n2nd-edge', 'shield-eu']);
    expect(() => stopWorld('edge', ['pg'])).toThrow(RangeError);
  });

  it('writes over a stale world: files of an earlier one do not survive', () => {
    const dir = path.join(tmp, 'stale');
    fs.mkdirSync(path.join(dir, 'deps/old'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'deps/old/old.wit'), 'package old:old;');
    writeStopWorld(stopWorld('origin', ['stopline:line/link@0.1.0']), dir);
    expect(fs.existsSync(path.join(dir, 'deps/old'))).toBe(false);
  });
});
