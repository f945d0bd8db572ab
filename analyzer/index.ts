import fs from 'node:fs';
import path from 'node:path';
import type { Access, Diagnostic, Segment, SegmentGraph, TrustFlow } from '../src/ir/index.js';
import type { StoplineConfig } from '../src/config/index.js';
import { compareDiagnostics, diagnostic } from '../src/diagnostics/index.js';
import { presets } from '../src/presets/index.js';
import { DiagnosticSink, type AnalysisContext } from './context.js';
import { findEntries } from './entries.js';
import { finishTree, VariableTable } from './finish.js';
import { createMatcher, detectPresets } from './match/index.js';
import { analyzeConfidentiality, key as declarationKey } from './confidentiality.js';
import { analyzeIntegrity } from './integrity.js';
import { applyPins, pinnedFunctions } from './pins.js';
import { loadProgram } from './program.js';
import { resolveStores } from './stores.js';
import { nodeRange } from './source-range.js';
import { TreeBuilder, functionName, type Draft } from './tree.js';
import { ValueShapes } from './value-shape.js';
import { ValueSchemas } from './value-schema.js';

export interface AnalyzeInput {
  /** Absolute path of the project root (the folder holding stopline.yaml). */
  readonly rootDir: string;
  readonly config: StoplineConfig;
}

/**
 * The analyzer stage: a TypeScript service becomes a SegmentGraph (DESIGN.md, Analyzer).
 *
 *   load program (ts-morph, the user's tsconfig, tolerant of TS6 deprecations)
 *   → detect the store presets in use, resolve stores (config + detected)
 *   → find entries (config, JSDoc tags, fetch handlers, Hono/Express routes)
 *   → per entry: region tree with per-call-site inlining (tree.ts), own-code facts
 *     (own-code.ts), liveness and crossing facts (liveness.ts), pins (pins.ts)
 *   → plain IR, sorted, with stable ids.
 *
 * Pure in the sense the pipeline needs: it reads the project's files and returns data;
 * it never prints, exits or writes. Problems with the project are diagnostics in the
 * graph, never exceptions.
 */
export function analyze(input: AnalyzeInput): SegmentGraph {
  const { rootDir, config } = input;
  const sink = new DiagnosticSink();
  const empty = (extra: Diagnostic[]): SegmentGraph => graphOf(config, [], [], [], [], [], [...extra, ...sink.items], { files: 0, lines: 0 });
  if (!fs.existsSync(rootDir) || !fs.statSync(rootDir).isDirectory()) {
    return empty([diagnostic('SL1022', null, { dir: rootDir })]);
  }
  if (config.tsconfig !== null && !fs.existsSync(path.resolve(rootDir, config.tsconfig))) {
    return empty([diagnostic('SL1014', null, { file: config.tsconfig })]);
  }
  let loaded;
  try {
    loaded = loadProgram(rootDir, config.tsconfig);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n', 1)[0] ?? String(error) : String(error);
    return empty([diagnostic('SL1019', null, { detail })]);
  }
  const { program, checker, sourceFiles } = loaded;
  const line = config.line;
  const stores = resolveStores(config, line, detectPresets(program, checker, rootDir, presets), sink);
  const storeRanges = new Map(config.stores.flatMap((s) => (s.at ? [[s.name, s.at] as const] : [])));
  const matcher = createMatcher({ program, checker, rootDir, presets, stores, storeRanges });
  const ctx: AnalysisContext = {
    rootDir,
    program,
    checker,
    matcher,
    settings: config.analysis,
    shapes: new ValueShapes(checker, matcher, config.analysis.loopFactor),
    schemas: new ValueSchemas(checker, program),
    projectFiles: new Set(sourceFiles),
    pinned: pinnedFunctions(config.pins, sourceFiles, checker, rootDir),
    diagnostics: sink,
  };
  const found = findEntries({ rootDir, checker, sourceFiles, line, configured: config.entries, diagnostics: sink });
  const entries: SegmentGraph['entries'][number][] = [];
  const segments: Segment[] = [];
  const accesses: Access[] = [];
  const allDrafts: Draft[] = [];
  const flows: TrustFlow[] = [];
  const secretDeclarations = new Set<string>();
  const trees: { drafts: readonly Draft[] }[] = [];
  for (const entry of found) {
    const builder = new TreeBuilder(ctx, entry.name);
    const root = builder.buildEntry(entry.handler, entry.name, entry.middleware);
    entries.push({
      name: entry.name,
      arrives: entry.arrives,
      source: entry.source,
      handler: { name: functionName(entry.handler), range: nodeRange(rootDir, entry.handler) },
      route: entry.route,
      root: root.id,
    });
    flows.push(...analyzeIntegrity(ctx, { entry, root, drafts: builder.drafts, stores, line }).flows);
    const secrets = analyzeConfidentiality(ctx, entry, builder.drafts, line);
    for (const k of secrets.secretDeclarations) secretDeclarations.add(k);
    for (const d of secrets.diagnostics) sink.add(d);
    trees.push({ drafts: builder.drafts });
    allDrafts.push(...builder.drafts);
  }
  const pinFacts = applyPins(config.pins, allDrafts, sourceFiles, checker, rootDir, sink);
  const variables = new VariableTable();
  for (const tree of trees) {
    const finished = finishTree(ctx, tree.drafts, pinFacts, variables);
    segments.push(...finished.segments);
    accesses.push(...finished.accesses);
  }
  if (found.length === 0) sink.add(diagnostic('SL2004', null));
  for (const store of stores) {
    if (store.declared === 'config' && !accesses.some((a) => a.store === store.name)) {
      const at = config.stores.find((s) => s.name === store.name)?.at ?? null;
      sink.add(diagnostic('SL2011', at, { store: store.name }));
    }
  }
  const lines = sourceFiles.reduce((n, sf) => n + sf.getLineStarts().length, 0);
  const secretVariables = variables.all().map((v) => secretDeclarations.has(declarationKey(v.declared)) && !v.name.startsWith('(') ? { ...v, secret: true as const } : v);
  const graph = graphOf(config, stores, entries, segments, secretVariables, accesses, [...loaded.diagnostics, ...sink.items, ...matcher.diagnostics()], { files: sourceFiles.length, lines });
  return { ...graph, flows };
}

function graphOf(config: StoplineConfig, stores: SegmentGraph['stores'], entries: SegmentGraph['entries'], segments: Segment[], variables: SegmentGraph['variables'], accesses: Access[],
                 diagnostics: Diagnostic[], files: { files: number; lines: number }): SegmentGraph {
  return {
    schema: 'stopline.graph/v1',
    line: config.line,
    stores,
    settings: config.analysis,
    entries,
    segments,
    variables,
    accesses,
    diagnostics: dedupe(diagnostics).sort(compareDiagnostics),
    stats: { files: files.files, lines: files.lines, segments: segments.length, accesses: accesses.length },
  };
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const key = JSON.stringify(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

