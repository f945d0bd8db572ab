/**
 * stopline's library entry. The CLI is a thin shell over these functions; they never
 * print or exit. Stages: analyze (analyzer/) → plan (planner/) → generate (codegen/).
 */
export type * from './ir/index.js';
export { analyze, type AnalyzeInput } from '../analyzer/index.js';
export { plan, type PlanOptions } from '../planner/index.js';
export { analyzeDirectory, type AnalysisResult, type AnalyzeDirectoryOptions } from './analyze-project.js';
export { loadConfig, parseConfig, defaultConfig, type StoplineConfig } from './config/index.js';
export { catalog, diagnostic, hasErrors, type DiagnosticCode } from './diagnostics/index.js';
export { formatDiagnostic, formatDiagnostics } from './diagnostics/format.js';
export { presets, getPreset } from './presets/index.js';
export type { Preset } from './presets/types.js';
export { analysisJson, type AnalysisJson } from './report/analysis-json.js';
export { analysisText } from './report/analysis-text.js';
export { initProject, type InitResult } from './init-project.js';
export { planDirectory, type PlanResult, type PlanDirectoryOptions } from './plan-project.js';
export { planJson } from './report/plan-json.js';
export { planSchema, parsePlan, planJsonSchema } from './report/plan-schema.js';
