import path from 'node:path';
import { analyze } from '../analyzer/index.js';
import { loadConfig, type StoplineConfig } from './config/index.js';
import { compareDiagnostics, hasErrors } from './diagnostics/index.js';
import type { Diagnostic, SegmentGraph } from './ir/index.js';

export interface AnalysisResult {
  /** Null when the configuration has errors: no trustworthy graph can be made. */
  readonly graph: SegmentGraph | null;
  readonly config: StoplineConfig | null;
  /** Configuration and analysis diagnostics together, sorted. */
  readonly diagnostics: readonly Diagnostic[];
  /** Absolute project directory. */
  readonly rootDir: string;
}

export interface AnalyzeDirectoryOptions {
  /** A config file other than `<dir>/stopline.yaml`. */
  readonly configFile?: string;
  /** Told when each phase starts (the CLI's progress line). */
  readonly onPhase?: (phase: 'loading config' | 'analysing' | 'planning') => void;
}

/** Loads the project's configuration and runs the analyzer: the `stopline analyze` job as a function. */
export function analyzeDirectory(dir: string, options: AnalyzeDirectoryOptions = {}): AnalysisResult {
  const rootDir = path.resolve(dir);
  options.onPhase?.('loading config');
  const loaded = loadConfig(rootDir, options.configFile !== undefined ? { configFile: options.configFile } : {});
  if (!loaded.config || hasErrors(loaded.diagnostics)) {
    return { graph: null, config: loaded.config, diagnostics: [...loaded.diagnostics].sort(compareDiagnostics), rootDir };
  }
  options.onPhase?.('analysing');
  const graph = analyze({ rootDir, config: loaded.config });
  const diagnostics = [...loaded.diagnostics, ...graph.diagnostics].sort(compareDiagnostics);
  return { graph: { ...graph, diagnostics }, config: loaded.config, diagnostics, rootDir };
}
