import { ts } from 'ts-morph';
import type { AnalysisSettings, Diagnostic } from '../src/ir/index.js';
import type { Matcher } from './match/index.js';
import type { ValueSchemas } from './value-schema.js';
import type { ValueShapes } from './value-shape.js';

/** What every part of one analysis run shares: the program, the matcher, the settings, the diagnostics. */
export interface AnalysisContext {
  readonly rootDir: string;
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  readonly matcher: Matcher;
  readonly settings: AnalysisSettings;
  readonly shapes: ValueShapes;
  /** Structural schemas of live variables' types, checked at a crossing (value-schema.ts). */
  readonly schemas: ValueSchemas;
  readonly projectFiles: ReadonlySet<ts.SourceFile>;
  /** Functions a pin names or holds a pinned line of: always segments of their own, so the pin has something to hold. */
  readonly pinned: ReadonlySet<ts.Node>;
  readonly diagnostics: DiagnosticSink;
}

/** Collects diagnostics once per code and place, however many entries reach that place. */
export class DiagnosticSink {
  private readonly seen = new Set<string>();
  readonly items: Diagnostic[] = [];

  add(d: Diagnostic): void {
    const r = d.range;
    const key = `${d.code}|${r ? `${r.file}:${r.start.line}:${r.start.column}:${r.end.line}:${r.end.column}` : ''}|${d.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(d);
  }
}
