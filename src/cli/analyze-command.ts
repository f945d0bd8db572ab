import fs from 'node:fs';
import path from 'node:path';
import { analyzeDirectory } from '../analyze-project.js';
import { hasErrors } from '../diagnostics/index.js';
import { analysisJson } from '../report/analysis-json.js';
import { analysisText } from '../report/analysis-text.js';
import { exitCode, type CliIO } from './io.js';
import { diagnosticsText, summaryLine } from './print-diagnostics.js';

export interface AnalyzeOptions {
  readonly config?: string;
  readonly out?: string;
  readonly json?: boolean;
}

/** `stopline analyze [dir] [--config F] [--out graph.json] [--json]`. */
export function analyzeCommand(dir: string | undefined, options: AnalyzeOptions, io: CliIO): number {
  const rootDir = path.resolve(io.cwd, dir ?? '.');
  const configFile = options.config !== undefined ? path.resolve(io.cwd, options.config) : undefined;
  const result = analyzeDirectory(rootDir, configFile !== undefined ? { configFile } : {});
  const json = analysisJson(result.graph, result.diagnostics);
  if (options.out !== undefined) {
    const out = path.resolve(io.cwd, options.out);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  }
  if (options.json) {
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    if (result.graph) io.stdout.write(`${analysisText(result.graph)}\n`);
    if (result.diagnostics.length > 0) io.stderr.write(`\n${diagnosticsText(result.diagnostics, rootDir)}\n`);
    io.stderr.write(`${summaryLine(result.diagnostics)}\n`);
    if (options.out !== undefined) io.stderr.write(`graph written to ${path.relative(io.cwd, path.resolve(io.cwd, options.out)) || options.out}\n`);
  }
  // Configuration errors (SL1xxx) found while analysing — an entry or binding that does not exist — are config errors too.
  if (!result.graph || result.diagnostics.some((d) => d.category === 'error' && d.code.startsWith('SL1'))) return exitCode.usage;
  return hasErrors(result.diagnostics) ? exitCode.projectErrors : exitCode.ok;
}
