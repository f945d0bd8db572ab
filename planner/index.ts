export { plan } from './plan.js';
export { solve, solveTables, type Solution, type SolvedTables } from './placement.js';
export { buildProblem, DEFAULT_MS_PER_OP, type PlanOptions } from './problem-build.js';
export { placementCost, isFeasible, rpcCount, total, type EntryProblem, type Placement, type CostParts } from './problem.js';
export { lineMetrics, type LineMetrics } from './line-metrics.js';
