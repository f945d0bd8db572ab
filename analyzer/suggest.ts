import { ts } from 'ts-morph';
import type { StoplineConfig } from '../src/config/index.js';
import { presets } from '../src/presets/index.js';
import { DiagnosticSink, type AnalysisContext } from './context.js';
import { findEntries, type FunctionWithBody } from './entries.js';
import { isFunctionLike } from './frame.js';
import { createMatcher, detectPresets } from './match/index.js';
import { loadProgram } from './program.js';
import { relativeFile } from './source-range.js';
import { resolveStores } from './stores.js';
import { TreeBuilder, functionName } from './tree.js';
import { ValueShapes } from './value-shape.js';
import { ValueSchemas } from './value-schema.js';

export interface Suggestion {
  readonly stores: readonly { readonly name: string; readonly preset: string }[];
  readonly entries: readonly { readonly function?: string; readonly route?: string; readonly arrives: string; readonly note: string }[];
}

/**
 * What `stopline init` proposes for a project without stopline.yaml: one store per store
 * preset in use, and the entries found automatically (routes, fetch handlers, tags).
 * When there are none, the candidates are the exported functions that reach a store
 * access and are not themselves called by another candidate.
 */
export function suggestSetup(rootDir: string, config: StoplineConfig): Suggestion {
  const loaded = loadProgram(rootDir, config.tsconfig);
  const { program, checker, sourceFiles } = loaded;
  const sink = new DiagnosticSink();
  const stores = resolveStores(config, config.line, detectPresets(program, checker, rootDir, presets), sink);
  const matcher = createMatcher({ program, checker, rootDir, presets, stores });
  const ctx: AnalysisContext = {
    rootDir, program, checker, matcher, settings: config.analysis,
    shapes: new ValueShapes(checker, matcher, config.analysis.loopFactor),
    schemas: new ValueSchemas(checker, program),
    projectFiles: new Set(sourceFiles), pinned: new Set(), diagnostics: sink,
  };
  const found = findEntries({ rootDir, checker, sourceFiles, line: config.line, configured: [], diagnostics: sink });
  const storeList = stores.map((s) => ({ name: s.name, preset: s.preset }));
  if (found.length > 0) {
    return {
      stores: storeList,
      entries: found.map((e) => {
        const note = e.source === 'jsdoc' ? 'from a @stopline tag' : e.source === 'fetch-handler' ? 'fetch handler' : `${e.source} route`;
        return e.route
          ? { route: `${e.route.method} ${e.route.path}`, arrives: e.arrives, note }
          : { function: `${relativeFile(rootDir, e.handler.getSourceFile().fileName)}#${functionName(e.handler)}`, arrives: e.arrives, note };
      }),
    };
  }
  const arrives = config.line.stops.find((s) => s.trusted)?.name ?? 'edge';
  const candidates: { fn: FunctionWithBody; file: string; name: string; accesses: number; callees: Set<ts.Node> }[] = [];
  for (const sf of sourceFiles) {
    for (const fn of exportedFunctions(checker, sf)) {
      const builder = new TreeBuilder(ctx, 'candidate');
      builder.buildEntry(fn, functionName(fn), []);
      const accesses = builder.drafts.reduce((n, d) => n + d.accesses.length, 0);
      if (accesses === 0) continue;
      const callees = new Set<ts.Node>(builder.drafts.flatMap((d) => (d.callee ? [d.callee.declaration] : [])));
      candidates.push({ fn, file: relativeFile(rootDir, sf.fileName), name: functionName(fn), accesses, callees });
    }
  }
  const called = new Set<ts.Node>(candidates.flatMap((c) => [...c.callees]));
  return {
    stores: storeList,
    entries: candidates
      .filter((c) => !called.has(c.fn))
      .map((c) => ({ function: `${c.file}#${c.name}`, arrives, note: `exported function reaching ${c.accesses} store access${c.accesses === 1 ? '' : 'es'}` })),
  };
}

function exportedFunctions(checker: ts.TypeChecker, sf: ts.SourceFile): FunctionWithBody[] {
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  if (!moduleSymbol) return [];
  const out: FunctionWithBody[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    for (const decl of target.declarations ?? []) {
      if (decl.getSourceFile() !== sf) continue;
      if (isFunctionLike(decl) && decl.body) out.push(decl as FunctionWithBody);
      else if (ts.isVariableDeclaration(decl) && decl.initializer && isFunctionLike(decl.initializer) && decl.initializer.body) out.push(decl.initializer as FunctionWithBody);
    }
  }
  return out;
}
