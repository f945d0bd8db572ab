import path from 'node:path';
import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { bundleOptionsFor, bundleStop } from '../../codegen/bundle/index.js';
import { jsonwebtokenLowering, librarySpecifiers, nodeCryptoLowering, type LibraryLowering } from '../../codegen/bundle/lowerings/libraries.js';
import { generate } from '../../codegen/index.js';
import { readProjectConfig } from '../../src/runtime/original/index.js';
import { repoRoot } from '../helpers/graph.js';
import { projectSources } from '../helpers/sources.js';
import { planOnce } from '../planner/plan-helpers.js';

/**
 * The library lowerings (codegen/bundle/lowerings/libraries.ts): node:crypto, crypto and
 * jsonwebtoken replaced wherever a stop's code imports them, with nothing of them where
 * nothing does; what they do not export is a bundle error, not a silent undefined.
 */
const project = 'test/cases/runtime/secrets';
const dir = path.join(repoRoot, project);
const { plan, graph } = planOnce(project);
const program = generate(plan!, graph!, projectSources(project));
const config = readProjectConfig(dir);
const stop = (name: string) => program.stops.find((s) => s.stop === name)!;

const importsOf = (code: string): string[] => [...new Set(ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName))].sort();

describe('library lowerings', () => {
  it('map each specifier to one lowering; two lowerings of one specifier are refused', () => {
    const map = librarySpecifiers();
    expect([...map].map(([s, l]) => [s, l.name])).toEqual([
      ['node:crypto', 'node:crypto'],
      ['crypto', 'node:crypto'],
      ['jsonwebtoken', 'jsonwebtoken'],
    ]);
    const twin: LibraryLowering = { ...jsonwebtokenLowering, name: 'other-crypto', specifiers: ['crypto'] };
    expect(() => librarySpecifiers([nodeCryptoLowering, twin])).toThrow(/node:crypto and other-crypto both replace 'crypto'/);
  });

  it('replace node:crypto and jsonwebtoken in a stop that imports them: only WIT imports remain', async () => {
    const edge = await bundleStop(stop('edge'), { ...bundleOptionsFor(config, 'edge'), projectDir: dir });
    expect(importsOf(edge.js)).toEqual(['stopline:line/link@0.1.0', 'wasi:config/store@0.2.0-draft', 'wasi:http/types@0.2.10']);
    expect(edge.js).toMatch(/var Hmac = class\b/);
    expect(edge.js).toMatch(/var TokenExpiredError = class extends JsonWebTokenError\b/);
    // The client's upload code imports nothing of them once its body runs at the edge.
    const client = await bundleStop(stop('client'), { ...bundleOptionsFor(config, 'client'), projectDir: dir });
    expect(importsOf(client.js)).toEqual(['stopline:line/link@0.1.0']);
    expect(client.js).not.toMatch(/var Hmac = class\b/);
  });

  it('an import of something a lowering does not export fails the bundle, naming it', async () => {
    const edge = stop('edge');
    const files = edge.files.map((f) => (f.path === 'src/sign.ts' ? { ...f, text: `import { webcrypto } from 'node:crypto';\nexport const subtle = webcrypto.subtle;\n${f.text}` } : f));
    await expect(bundleStop({ ...edge, files }, { ...bundleOptionsFor(config, 'edge'), projectDir: dir })).rejects.toThrow(/webcrypto/);
  });
});
