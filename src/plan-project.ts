import { plan as planGraph, type PlanOptions } from '../planner/index.js';
import { analyzeDirectory, type AnalysisResult, type AnalyzeDirectoryOptions } from './analyze-project.js';
import type { Plan } from './ir/index.js';

export interface PlanDirectoryOptions extends AnalyzeDirectoryOptions {
  readonly profile?: PlanOptions['profile'];
  /** Every entry forced whole at one stop instead of the optimum (the planner's `placeAll`). */
  readonly placeAll?: PlanOptions['placeAll'];
}

export interface PlanResult extends AnalysisResult {
  /** Null when the configuration has errors (then `graph` is null too). */
  readonly plan: Plan | null;
}

/** Analyse and plan a project: the `stopline plan` job as a function. */
export function planDirectory(dir: string, options: PlanDirectoryOptions = {}): PlanResult {
  const analysis = analyzeDirectory(dir, options);
  if (analysis.graph === null) return { ...analysis, plan: null };
  options.onPhase?.('planning');
  const plan = planGraph(analysis.graph, analysis.graph.line, {
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
    ...(options.placeAll !== undefined ? { placeAll: options.placeAll } : {}),
  });
  return { ...analysis, plan, diagnostics: plan.diagnostics };
}
