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

/** The wrong-way arrow `file` → `spec` would draw, or null when the import is allowed. */
function violation(file: string, spec: string): string | null {
  const from = layerOf(file);
  const to = layerOf(path.resolve(path.dirname(file), spec));
  if (!from || !to || allowed[from].includes(to)) return null;
  return `${path.relative(root, file)} (${from}) imports ${spec} (${to})`;
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
    const violations = files.flatMap((file) => importsOf(file).flatMap((spec) => violation(file, spec) ?? []));
    expect(violations).toEqual([]);
  });

  it('flags deliberately wrong imports (the check can fail)', () => {
    expect(violation(path.join(root, 'src/ir/graph.ts'), '../../analyzer/index.js')).toBe('src/ir/graph.ts (foundation) imports ../../analyzer/index.js (analyzer)');
    expect(violation(path.join(root, 'analyzer/tree.ts'), '../planner/index.js')).toBe('analyzer/tree.ts (analyzer) imports ../planner/index.js (planner)');
    expect(violation(path.join(root, 'analyzer/tree.ts'), '../src/cli/main.js')).toBe('analyzer/tree.ts (analyzer) imports ../src/cli/main.js (top)');
    expect(violation(path.join(root, 'src/cli/main.ts'), '../../analyzer/index.js')).toBeNull();
  });
});
