import type { Diagnostic } from './diagnostic.js';
import type { AccessOp, EntrySource } from './graph.js';
import type { Line, StopName } from './line.js';
import type { Position } from './location.js';
import type { Store } from './store.js';

/**
 * The planner's output and stopline's public contract (`plan.json`, schema
 * `stopline.plan/v1`, JSON Schema in `schema/plan.v1.schema.json`). CI diffs it; codegen
 * reads it. Everything is plain data, sorted, with numbers rounded to 1 µs, so the same
 * input gives byte-identical JSON on every machine.
 */
export interface Plan {
  readonly schema: 'stopline.plan/v1';
  readonly line: Line;
  readonly stores: readonly Store[];
  /** The cost-model inputs the plan was priced with. */
  readonly model: PlanModel;
  /** Sorted by name. */
  readonly entries: readonly PlannedEntry[];
  /** Every segment of every entry, in the graph's order (each tree in pre-order). */
  readonly segments: readonly PlacedSegment[];
  /** Every cut (a run of consecutive siblings placed away from their parent), per entry in tree order. */
  readonly cuts: readonly Cut[];
  /** The analyzer's diagnostics followed by the planner's. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface PlanModel {
  readonly loopFactor: number;
  readonly branchProbability: number;
  /** Milliseconds one abstract op of segment weight costs at slowdown 1. */
  readonly msPerOp: number;
  /** `static` estimates, or the profile file (relative to the project root) that gave measured counts. */
  readonly counts: 'static' | { readonly profile: string };
  /**
   * Present when the plan is not an optimum but every entry forced whole at one stop
   * (`'arrival'`: each at its arrival stop): a baseline made buildable, to measure it.
   */
  readonly placeAll?: string;
}

/** Expected exchanges per request over each adjacent link, keyed `"<stop>-<next stop>"` in line order. */
export type RoundTrips = Readonly<Record<string, number>>;

export interface PlannedEntry {
  readonly name: string;
  readonly arrives: StopName;
  readonly source: EntrySource;
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
  /** `planned`, or `unsatisfiable` when its hard constraints conflict (an SL4001 diagnostic says which). */
  readonly status: 'planned' | 'unsatisfiable';
  /** Expected latency of one request under the plan; null when unsatisfiable. */
  readonly latencyMs: number | null;
  readonly roundTrips: RoundTrips | null;
  /** Expected strong-store accesses per request executed away from the store's home. */
  readonly strongRemote: number | null;
  readonly breakdown: CostBreakdown | null;
  readonly baselines: Baselines;
  /** Segments placed at a stop other than the arrival stop. */
  readonly moved: number;
}

/** Where the expected latency goes, in ms; the parts add up to the latency. */
export interface CostBreakdown {
  readonly computeMs: number;
  /** Round trips paid by accesses executed at a stop that cannot serve them. */
  readonly accessMs: number;
  /** Round trips paid by cuts (one per run of batched siblings). */
  readonly cutMs: number;
  /** Payload bytes over the bottleneck bandwidth of each cut. */
  readonly transferMs: number;
}

export interface Baselines {
  /** Everything at the arrival stop. */
  readonly arrival: Baseline;
  /** Everything at the last stop of the line. */
  readonly origin: Baseline;
  /** The cheapest single stop for the whole entry (what runtime placement reaches). */
  readonly bestSingleStop: Baseline;
}

export interface Baseline {
  readonly stop: StopName;
  readonly latencyMs: number;
  readonly roundTrips: RoundTrips;
  readonly strongRemote: number;
  /** False when a hard constraint forbids running the whole entry at this stop. */
  readonly feasible: boolean;
}

export interface PlacedSegment {
  readonly id: string;
  readonly entry: string;
  readonly parent: string | null;
  readonly kind: string;
  readonly label: string;
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
  /** Null only in an unsatisfiable entry. */
  readonly stop: StopName | null;
  readonly count: number;
  readonly accesses: readonly PlacedAccess[];
  /** Why here and not elsewhere: the constraints that apply, then one reason per other stop. */
  readonly reasons: readonly PlacementReason[];
}

export interface PlacedAccess {
  readonly id: string;
  readonly store: string;
  readonly op: AccessOp;
  readonly api: string;
  readonly count: number;
  /** The stop that serves it under the plan (its own stop when that can, else the nearest that can). */
  readonly servedAt: StopName | null;
}

export interface PlacementReason {
  /** Catalog code: a fact's SL3xxx code for a constraint, SL41xx for a cost comparison. */
  readonly code: string;
  readonly message: string;
  /** The alternative stop the reason is about, or null for a reason about the segment itself. */
  readonly stop: StopName | null;
  /** Extra expected latency per request if the segment (re-planned inside) ran at `stop`; null when `stop` is forbidden or the reason is not a comparison. */
  readonly deltaMs: number | null;
}

/** A run of consecutive siblings at one stop under a parent at another: one RPC per entry into the run. */
export interface Cut {
  readonly entry: string;
  /** The parent segment, or null for the root moved away from the arrival stop (the request itself crosses). */
  readonly parent: string | null;
  /** The first segment of the run. */
  readonly child: string;
  /** Every segment of the run, in order (`[child]` when nothing is batched with it). */
  readonly run: readonly string[];
  readonly from: StopName;
  readonly to: StopName;
  /** Expected RPCs per request over this cut. */
  readonly count: number;
  /** Names of the values that cross (live-ins and live-outs of the run members, `(return)` for a return value), sorted. */
  readonly payload: readonly string[];
  /** Store handles the run uses: never serialised, the other stop binds its own (sorted names). */
  readonly handles: readonly string[];
  /** Estimated bytes crossing per RPC (both directions). */
  readonly bytes: number;
  /** Expected latency per request this cut adds (round trips and transfer). */
  readonly costMs: number;
}

/**
 * Measured execution counts (`--profile`): `executions[segmentId] / requests[entry]`
 * replaces the static estimate of that segment's count; segments it does not name keep
 * theirs.
 */
export interface Profile {
  readonly schema: 'stopline.profile/v1';
  readonly requests: Readonly<Record<string, number>>;
  readonly executions: Readonly<Record<string, number>>;
}
