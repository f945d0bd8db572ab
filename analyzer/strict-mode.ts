import { ts } from 'ts-morph';
import type { Diagnostic } from '../src/ir/index.js';
import { diagnostic } from '../src/diagnostics/index.js';
import { rangeOf } from './source-range.js';

/**
 * Early errors of strict-mode code that TypeScript's parser leaves to its binder, so
 * `getSyntacticDiagnostics` does not report them: a `with` statement in an ES module
 * (modules are always strict) is a SyntaxError when the module loads, so the program
 * cannot run at all. SL2001 at the statement's keyword, as any other syntax error.
 */
export function strictModeErrors(rootDir: string, sf: ts.SourceFile): Diagnostic[] {
  if (!ts.isExternalModule(sf) || !/\bwith\b/.test(sf.text)) return [];
  const out: Diagnostic[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isWithStatement(node)) {
      const start = node.getStart(sf);
      out.push(diagnostic('SL2001', rangeOf(rootDir, sf, start, start + 'with'.length), {
        detail: "'with' statements are not allowed in strict mode, and every ES module is strict",
      }));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
