import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDirectory } from '../../src/build/build-project.js';
import type { CliIO } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { parsePorts } from '../../src/cli/serve-command.js';
import { freePort } from '../../src/serve/serve.js';
import { componentCacheDir } from '../codegen/component.setup.js';
import { copyFixture } from '../helpers/cli.js';

/**
 * `stopline serve` on bad input: coded diagnostics and exit 2, never a stack trace, and
 * nothing started (each case fails before any process is spawned).
 */

interface Captured extends CliIO {
  out(): string;
  err(): string;
}

function io(cwd: string): Captured {
  let stdout = '';
  let stderr = '';
  return { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd, env: {}, out: () => stdout, err: () => stderr };
}

const codes = (text: string): string[] => [...text.matchAll(/(?:^| )(?:error|warning) (SL\d{4})/gm)].map((m) => m[1]!);
const noStackTrace = (text: string): void => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

let project: { dir: string; cleanup: () => void };
let dist: string;

beforeAll(async () => {
  project = copyFixture('shop');
  dist = path.join(project.dir, 'dist');
  const built = await buildDirectory(project.dir, { out: dist, cacheDir: componentCacheDir });
  expect(built.status).toBe('built');
}, 600_000);
afterAll(() => project?.cleanup());

async function serve(...args: string[]): Promise<{ code: number; io: Captured }> {
  const c = io(project.dir);
  const code = await run(['serve', '.', '--state', path.join(project.dir, '.state'), ...args], c);
  noStackTrace(c.err());
  noStackTrace(c.out());
  return { code, io: c };
}

describe('stopline serve on bad input', () => {
  it('without a build: SL5103', async () => {
    const r = await serve('--dist', path.join(project.dir, 'no-dist'));
    expect([r.code, codes(r.io.err())]).toEqual([2, ['SL5103']]);
  });

  it('bad --ports: not ports, twice the same, or not one per server stop: SL5401', async () => {
    for (const ports of ['80a,81', '0,81', '8101,8101', '8101', '8101,8102,8103']) {
      const r = await serve('--ports', ports);
      expect([ports, r.code, codes(r.io.err())]).toEqual([ports, 2, ['SL5401']]);
    }
    expect(parsePorts('8101, 8102')).toEqual([8101, 8102]);
  });

  it('a bad --frozen-clock: SL5401', async () => {
    const r = await serve('--frozen-clock', 'yesterday');
    expect([r.code, codes(r.io.err())]).toEqual([2, ['SL5401']]);
  });

  it('a port in use: SL5402, and nothing started', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const used = (busy.address() as net.AddressInfo).port;
    try {
      const r = await serve('--ports', `${await freePort()},${used}`);
      expect([r.code, codes(r.io.err())]).toEqual([2, ['SL5402']]);
      expect(fs.existsSync(path.join(project.dir, '.state', 'stops'))).toBe(false);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it('a component that is not the one the manifest hashed: SL5104', async () => {
    const tampered = path.join(project.dir, 'dist-tampered');
    fs.cpSync(dist, tampered, { recursive: true });
    const wasm = path.join(tampered, 'edge', 'edge.wasm');
    const bytes = fs.readFileSync(wasm);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    fs.writeFileSync(wasm, bytes);
    const r = await serve('--dist', tampered);
    expect([r.code, codes(r.io.err())]).toEqual([2, ['SL5104']]);
  });
});
