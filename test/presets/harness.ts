import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, ts } from 'ts-morph';
import type { Store } from '../../src/ir/index.js';
import { presets } from '../../src/presets/index.js';
import type { Preset } from '../../src/presets/types.js';
import { createMatcher, detectPresets, type Matcher } from '../../analyzer/match/index.js';

export const casesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../cases/presets');

export interface CaseOptions {
  /** Extra lib files, e.g. ['lib.dom.d.ts']. ES2023 is always there. */
  readonly libs?: readonly string[];
  /** `types` of the compiler options; default ['node']. */
  readonly types?: readonly string[];
}

export interface LoadedCase {
  readonly rootDir: string;
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /** The case's own files, sorted by name. */
  readonly files: readonly ts.SourceFile[];
}

const cache = new Map<string, LoadedCase>();

/** Builds one case folder (every .ts file in it, recursively) into a program, as the analyzer would. */
export function loadCase(name: string, options: CaseOptions = {}): LoadedCase {
  const key = `${name}|${JSON.stringify(options)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const rootDir = path.join(casesDir, name);
  const project = new Project({
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      lib: ['lib.es2023.d.ts', ...(options.libs ?? [])],
      types: [...(options.types ?? ['node'])],
    },
  });
  for (const file of listTs(rootDir)) project.addSourceFileAtPath(file);
  const program = project.getProgram().compilerObject;
  const checker = program.getTypeChecker();
  const files = program
    .getSourceFiles()
    .filter((sf) => sf.fileName.startsWith(`${rootDir}/`) && !sf.fileName.includes('/node_modules/'))
    .sort((a, b) => (a.fileName < b.fileName ? -1 : 1));
  const loaded = { rootDir, program, checker, files };
  cache.set(key, loaded);
  return loaded;
}

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTs(full));
    else if (/\.(ts|tsx|mts|cts)$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** A store as the analyzer would pass it, with the preset's defaults. */
export function store(name: string, preset: string, extra: { binding?: string; urlPrefix?: string } = {}): Store {
  return {
    name,
    preset,
    kind: 'sql',
    consistency: 'strong',
    home: 'origin',
    replicas: [],
    binding: extra.binding ?? null,
    urlPrefix: extra.urlPrefix ?? null,
    declared: 'config',
  };
}

export function matcherFor(loaded: LoadedCase, stores: readonly Store[], only?: readonly string[]): Matcher {
  const chosen: readonly Preset[] = only ? presets.filter((p) => only.includes(p.name)) : presets;
  return createMatcher({ program: loaded.program, checker: loaded.checker, rootDir: loaded.rootDir, presets: chosen, stores });
}

export interface FoundAccess {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly store: string;
  readonly op: string;
  readonly api: string;
  readonly resolvedBy?: string;
}

function position(loaded: LoadedCase, node: ts.Node): { file: string; line: number; column: number } {
  const sf = node.getSourceFile();
  const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return { file: path.relative(loaded.rootDir, sf.fileName), line: p.line + 1, column: p.character + 1 };
}

/** Runs matchCall over every call expression (and tagged template) of the case's own files. */
export function accesses(loaded: LoadedCase, matcher: Matcher, options: { resolvedBy?: boolean } = {}): FoundAccess[] {
  const out: FoundAccess[] = [];
  for (const sf of loaded.files) {
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) || ts.isTaggedTemplateExpression(node)) {
        const m = matcher.matchCall(node);
        if (m) {
          out.push({
            ...position(loaded, node),
            store: m.store,
            op: m.op,
            api: m.api,
            ...(options.resolvedBy ? { resolvedBy: m.resolvedBy } : {}),
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

export interface FoundCapability {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly capability: string;
  readonly preset: string;
  readonly api: string;
}

/**
 * Runs matchCapability the way the analyzer does: top-down over identifiers, property
 * and element accesses and calls, skipping type nodes and the children of a matched
 * non-call node. `all` visits every node instead, to prove the matcher itself reports
 * each use once.
 */
export function capabilities(loaded: LoadedCase, matcher: Matcher, options: { all?: boolean } = {}): FoundCapability[] {
  const out: FoundCapability[] = [];
  for (const sf of loaded.files) {
    const visit = (node: ts.Node): void => {
      if (!options.all && (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node))) return;
      if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) || ts.isCallExpression(node)) {
        const m = matcher.matchCapability(node);
        if (m) {
          out.push({ ...position(loaded, node), capability: m.capability, preset: m.preset, api: m.api });
          if (!options.all && !ts.isCallExpression(node)) return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}

/** detectPresets over a case, as rows of preset and start position. */
export function detect(loaded: LoadedCase): { preset: string; file: string; line: number; column: number }[] {
  return detectPresets(loaded.program, loaded.checker, loaded.rootDir, presets).map((d) => ({
    preset: d.preset,
    file: d.range.file,
    line: d.range.start.line,
    column: d.range.start.column,
  }));
}

/** classifyType of every variable and parameter declared in the case's files, by name. */
export function handleKinds(loaded: LoadedCase, matcher: Matcher): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const sf of loaded.files) {
    if (sf.isDeclarationFile) continue;
    const visit = (node: ts.Node): void => {
      if ((ts.isVariableDeclaration(node) || ts.isParameter(node)) && ts.isIdentifier(node.name)) {
        const m = matcher.classifyType(loaded.checker.getTypeAtLocation(node.name));
        out[node.name.text] = m ? `${m.kind} ${m.preset} ${m.api}` : null;
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}
