import { z } from 'zod';
import type { Plan } from '../ir/index.js';

/**
 * plan.json's schema, written once with zod: `stopline check` validates a baseline with
 * it, and `schema/plan.v1.schema.json` (shipped in the package, for other tools) is
 * generated from it by `z.toJSONSchema` — a test keeps the file in step.
 */
const position = z.object({ line: z.number().int().min(1), column: z.number().int().min(1) }).strict();
const range = z.object({ file: z.string(), start: position, end: position }).strict();
const related = z.object({ message: z.string(), range }).strict();
const diagnostic = z.object({
  code: z.string().regex(/^SL\d{4}$/),
  category: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  range: range.nullable(),
  related: z.array(related),
}).strict();
const stop = z.object({
  name: z.string(),
  trusted: z.boolean(),
  slowdown: z.number().positive(),
  latencyMs: z.number().min(0),
  bandwidthMbps: z.number().positive().nullable(),
}).strict();
const store = z.object({
  name: z.string(),
  preset: z.string(),
  kind: z.enum(['sql', 'kv', 'local', 'http']),
  consistency: z.enum(['strong', 'eventual', 'local']),
  home: z.string(),
  replicas: z.array(z.string()),
  binding: z.string().nullable(),
  urlPrefix: z.string().nullable(),
  declared: z.enum(['config', 'detected']),
}).strict();
const roundTrips = z.record(z.string().regex(/^.+-.+$/), z.number().min(0))
  .describe('Expected exchanges per request over each adjacent link, keyed "<stop>-<next stop>" in line order');
const baseline = z.object({
  stop: z.string(),
  latencyMs: z.number().min(0),
  roundTrips,
  strongRemote: z.number().min(0),
  feasible: z.boolean(),
}).strict();
const entry = z.object({
  name: z.string(),
  arrives: z.string(),
  source: z.enum(['config', 'jsdoc', 'fetch-handler', 'hono', 'express']),
  file: z.string(),
  start: position,
  end: position,
  status: z.enum(['planned', 'unsatisfiable']),
  latencyMs: z.number().min(0).nullable(),
  roundTrips: roundTrips.nullable(),
  strongRemote: z.number().min(0).nullable(),
  breakdown: z.object({
    computeMs: z.number().min(0),
    accessMs: z.number().min(0),
    cutMs: z.number().min(0),
    transferMs: z.number().min(0),
  }).strict().nullable(),
  baselines: z.object({ arrival: baseline, origin: baseline, bestSingleStop: baseline }).strict(),
  moved: z.number().int().min(0),
}).strict();
const segment = z.object({
  id: z.string(),
  entry: z.string(),
  parent: z.string().nullable(),
  kind: z.string(),
  label: z.string(),
  file: z.string(),
  start: position,
  end: position,
  stop: z.string().nullable(),
  count: z.number().min(0),
  accesses: z.array(z.object({
    id: z.string(),
    store: z.string(),
    op: z.enum(['read', 'write']),
    api: z.string(),
    count: z.number().min(0),
    servedAt: z.string().nullable(),
  }).strict()),
  reasons: z.array(z.object({
    code: z.string().regex(/^SL\d{4}$/),
    message: z.string(),
    stop: z.string().nullable(),
    deltaMs: z.number().min(0).nullable(),
  }).strict()),
}).strict();
const cut = z.object({
  entry: z.string(),
  parent: z.string().nullable(),
  child: z.string(),
  run: z.array(z.string()).min(1),
  from: z.string(),
  to: z.string(),
  count: z.number().min(0),
  payload: z.array(z.string()),
  handles: z.array(z.string()),
  bytes: z.number().min(0),
  costMs: z.number().min(0),
}).strict();

export const planSchema = z.object({
  schema: z.literal('stopline.plan/v1'),
  line: z.object({ stops: z.array(stop).min(1) }).strict(),
  stores: z.array(store),
  model: z.object({
    loopFactor: z.number().positive(),
    branchProbability: z.number().min(0).max(1),
    msPerOp: z.number().min(0),
    counts: z.union([z.literal('static'), z.object({ profile: z.string() }).strict()]),
    placeAll: z.string().optional(),
  }).strict(),
  entries: z.array(entry),
  segments: z.array(segment),
  cuts: z.array(cut),
  diagnostics: z.array(diagnostic),
}).strict().describe('stopline placement plan, version 1');

// The schema and the IR type describe the same data: each must be assignable to the other.
type Parsed = z.infer<typeof planSchema>;
type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;
const _planIsParsed: (p: Plan) => DeepReadonly<Parsed> = (p) => p;
const _parsedIsPlan: (p: Parsed) => Plan = (p) => p;
void _planIsParsed;
void _parsedIsPlan;

export type ParsedPlan = { readonly plan: Plan; readonly error: null } | { readonly plan: null; readonly error: string };

/** Reads plan.json text; the error says what is wrong and where (a JSON path). */
export function parsePlan(text: string): ParsedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { plan: null, error: `not JSON (${(error as Error).message})` };
  }
  const result = planSchema.safeParse(data);
  if (result.success) return { plan: result.data, error: null };
  const issue = result.error.issues[0]!;
  return { plan: null, error: `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}` };
}

/** The JSON Schema shipped as schema/plan.v1.schema.json. */
export function planJsonSchema(): unknown {
  return { $id: 'https://stopline.dev/schema/plan.v1.schema.json', ...z.toJSONSchema(planSchema) };
}
