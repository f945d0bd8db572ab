import path from 'node:path';
import { ts } from 'ts-morph';
import type { Fact } from '../src/ir/index.js';
import type { PinConfig } from '../src/config/index.js';
import { diagnostic } from '../src/diagnostics/index.js';
import type { DiagnosticSink } from './context.js';
import { findFunctionInFile } from './entries.js';
import { isFunctionLike } from './frame.js';
import { relativeFile } from './source-range.js';
import type { Draft } from './tree.js';

/**
 * The functions the pins need as segments: every `function:` target, and every function
 * whose body holds an `at:` line. The tree builder inlines them (and their callers) even
 * when they do nothing else placement cares about.
 */
export function pinnedFunctions(pins: readonly PinConfig[], sourceFiles: readonly ts.SourceFile[], checker: ts.TypeChecker, rootDir: string): Set<ts.Node> {
  const pinned = new Set<ts.Node>();
  for (const pin of pins) {
    const file = pin.function?.file ?? pin.location?.file ?? '';
    const sf = sourceFiles.find((f) => path.resolve(f.fileName) === path.resolve(rootDir, file));
    if (!sf) continue;
    if (pin.function) {
      const fn = findFunctionInFile(checker, sf, pin.function.name);
      if (fn) pinned.add(fn);
    } else if (pin.location) {
      const starts = sf.getLineStarts();
      const lineStart = starts[pin.location.line - 1];
      if (lineStart === undefined) continue;
      const lineEnd = starts[pin.location.line] ?? sf.end;
      const visit = (node: ts.Node): void => {
        if (node.end < lineStart || node.getStart(sf) >= lineEnd) return;
        if (isFunctionLike(node) && node.body && node.body.getStart(sf) < lineEnd && node.body.end > lineStart) pinned.add(node);
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  }
  return pinned;
}

/**
 * Applies stopline.yaml pins as `pin` facts. `function: file#name` pins every inlined
 * (or opaque) call of that function and any entry whose handler it is; `at: file:line`
 * pins the outermost segment that starts on that line. A pin whose target does not exist
 * is an error; one that exists but is reached by no entry is a warning.
 */
export function applyPins(pins: readonly PinConfig[], drafts: readonly Draft[], sourceFiles: readonly ts.SourceFile[], checker: ts.TypeChecker, rootDir: string, sink: DiagnosticSink): Map<Draft, Fact[]> {
  const facts = new Map<Draft, Fact[]>();
  const add = (draft: Draft, pin: PinConfig): void => {
    const list = facts.get(draft) ?? [];
    list.push({
      kind: 'pin',
      code: 'SL3010',
      message: diagnostic('SL3010', null, { stop: pin.stop }).message,
      range: draft.range,
      stop: pin.stop,
      variable: null,
      related: pin.at ? [{ message: 'pinned in stopline.yaml', range: pin.at }] : [],
    });
    facts.set(draft, list);
  };
  for (const pin of pins) {
    const file = pin.function?.file ?? pin.location?.file ?? '';
    const sf = sourceFiles.find((f) => path.resolve(f.fileName) === path.resolve(rootDir, file));
    const target = pin.function ? `${file}#${pin.function.name}` : `${file}:${pin.location?.line ?? 0}`;
    if (!sf) {
      sink.add(diagnostic('SL1011', pin.at, { target }));
      continue;
    }
    let hits = 0;
    if (pin.function) {
      const fn = findFunctionInFile(checker, sf, pin.function.name);
      if (!fn) {
        sink.add(diagnostic('SL1011', pin.at, { target }));
        continue;
      }
      for (const d of drafts) {
        if ((d.callee && d.callee.declaration === fn) || (d.parent === null && d.frame === fn)) {
          add(d, pin);
          hits++;
        }
      }
    } else if (pin.location) {
      const line = pin.location.line;
      if (line < 1 || line > sf.getLineStarts().length) {
        sink.add(diagnostic('SL1011', pin.at, { target }));
        continue;
      }
      const rel = relativeFile(rootDir, sf.fileName);
      for (const d of drafts) {
        if (d.range.file !== rel || d.range.start.line !== line) continue;
        if (d.parent && d.parent.range.file === rel && d.parent.range.start.line === line) continue;
        add(d, pin);
        hits++;
      }
    }
    if (hits === 0) sink.add(diagnostic('SL1051', pin.at, { target }));
  }
  return facts;
}
