export type { Position, SourceRange } from './location.js';
export type { Stop, StopName, Line } from './line.js';
export type { Consistency, StoreKind, Store } from './store.js';
export type { Diagnostic, DiagnosticCategory, RelatedNote } from './diagnostic.js';
export type {
  SegmentGraph, AnalysisSettings, GraphStats, Entry, EntrySource, SegmentKind, Segment, ValueKind,
  LiveVariable, ControlFlow, FactKind, Fact, AccessOp, Access,
} from './graph.js';
export type {
  Plan, PlanModel, RoundTrips, PlannedEntry, CostBreakdown, Baselines, Baseline, PlacedSegment, PlacedAccess,
  PlacementReason, Cut, Profile,
} from './plan.js';
export type { TrustSourceKind, TrustStep, TrustFlow } from './trust.js';
export type { ServedEntry, StopSources, SplitProgram, DispatchEntry } from './bundle.js';
export type { PayloadSchema, ValueSchema } from './payload-schema.js';
