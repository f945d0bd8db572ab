import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The one-way arrows of DESIGN.md (Layout), held by a test as dependency-cruiser's rules
 * hold them: top (src/cli, src/report, the library entry) → stages (analyzer/,
 * planner/, codegen/) → foundation (src/ir, src/config, src/diagnostics, src/presets).
 * The foundation imports no stage and no top; a stage imports no other stage and no top.
 */
const root = path.resolve(import.meta.dirname, '../..');

type Layer = 'foundation' | 'analyzer' | 'planner' | 'codegen' | 'top';

function layerOf(file: string): Layer | null {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (/^src\/(ir|config|diagnostics|presets)\//.test(rel)) return 'foundation';
  if (rel.startsWith('analyzer/')) return 'analyzer';
  if (rel.startsWith('planner/')) return 'planner';
  if (rel.startsWith('codegen/')) return 'codegen';
  if (rel.startsWith('src/')) return 'top';
  return null;
}

const allowed: Record<Layer, readonly Layer[]> = {
  foundation: ['foundation'],
  analyzer: ['analyzer', 'foundation'],
  planner: ['planner', 'foundation'],
  codegen: ['codegen', 'foundation'],
  top: ['top', 'analyzer', 'planner', 'codegen', 'foundation'],
};

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : /\.ts$/.test(e.name) ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => f.fileName).filter((s) => s.startsWith('.'));
}

describe('layering', () => {
  const files = ['src', 'analyzer', 'planner', 'codegen'].flatMap((d) => sourceFiles(path.join(root, d)));

  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('keeps every import one-way: top → stages → foundation', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = layerOf(file);
      if (!from) continue;
      for (const spec of importsOf(file)) {
        const target = path.resolve(path.dirname(file), spec);
        const to = layerOf(target);
        if (to && !allowed[from].includes(to)) {
          violations.push(`${path.relative(root, file)} (${from}) imports ${spec} (${to})`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('holds the line in a deliberately wrong import too (the check can fail)', () => {
    const from = layerOf(path.join(root, 'src/ir/graph.ts'));
    const to = layerOf(path.join(root, 'analyzer/index.ts'));
    expect(from).toBe('foundation');
    expect(to).toBe('analyzer');
    expect(allowed.foundation.includes('analyzer')).toBe(false);
  });
});
