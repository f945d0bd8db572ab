import { z } from 'zod';
import type { Preset } from '../presets/types.js';
import {
  isHttpUrlPrefix, parseBinding, parseFunctionTarget, parseLocationTarget, parseRoute, STOP_NAME,
} from './targets.js';

/**
 * The zod schema of stopline.yaml. Objects are strict, so every unknown key becomes an
 * `unrecognized_keys` issue. Checks that need context (is this stop on the line, is this
 * preset known) are leaf refinements tagged with the catalog code in `params.code`, so
 * they are reported for every value, whatever else is wrong in the document.
 * Checks across several values (duplicate stops, contradictory pins…) are in check.ts.
 */

export interface SchemaContext {
  /** The stop names written on the line (or the default line); null when the line is too broken to tell. */
  readonly stops: ReadonlySet<string> | null;
  readonly presets: readonly Preset[];
}

/** Catalog codes a refinement may tag its issue with. */
export type RefinementCode = 'SL1003' | 'SL1004' | 'SL1005' | 'SL1007' | 'SL1017' | 'SL1018';

const tag = (code: RefinementCode): { params: { code: RefinementCode } } => ({ params: { code } });

function stopReference(ctx: SchemaContext, code: 'SL1004' | 'SL1007' | 'SL1017') {
  return z.string().refine((name) => ctx.stops === null || ctx.stops.has(name), tag(code));
}

function presetReference(ctx: SchemaContext) {
  return z.string().superRefine((name, issues) => {
    const preset = ctx.presets.find((p) => p.name === name);
    if (preset === undefined) {
      issues.addIssue({ code: 'custom', message: `unknown preset ${name}`, ...tag('SL1005') });
    } else if (preset.capability !== null || preset.store === null) {
      issues.addIssue({ code: 'custom', message: `preset ${name} is a capability`, ...tag('SL1018') });
    }
  });
}

export const stopSchema = z.strictObject({
  stop: z.string().regex(STOP_NAME, 'a stop name is a letter followed by letters, digits or _'),
  trusted: z.boolean().optional(),
  slowdown: z.number().positive().optional(),
  latencyMs: z.number().nonnegative().optional(),
  bandwidthMbps: z.number().positive().nullable().optional(),
});

const functionTarget = z.string().refine((t) => parseFunctionTarget(t) !== null, {
  message: 'expected `path#name`, e.g. src/handlers.ts#viewCart',
  ...tag('SL1003'),
});

export function storeSchema(ctx: SchemaContext) {
  return z.strictObject({
    preset: presetReference(ctx),
    consistency: z.enum(['strong', 'eventual', 'local']).optional(),
    home: stopReference(ctx, 'SL1007').optional(),
    replicas: z.array(stopReference(ctx, 'SL1017')).optional(),
    binding: z.string().refine((b) => parseBinding(b) !== null, {
      message: 'expected `file#export` or `file#Interface.property`',
      ...tag('SL1003'),
    }).optional(),
    urlPrefix: z.string().refine(isHttpUrlPrefix, {
      message: 'expected an http:// or https:// URL',
      ...tag('SL1003'),
    }).optional(),
  });
}

export function entrySchema(ctx: SchemaContext) {
  return z.strictObject({
    function: functionTarget.optional(),
    route: z.string().refine((r) => parseRoute(r) !== null, {
      message: 'expected `METHOD /path` with METHOD one of GET POST PUT PATCH DELETE HEAD OPTIONS ALL',
      ...tag('SL1003'),
    }).optional(),
    arrives: stopReference(ctx, 'SL1004'),
    name: z.string().min(1).optional(),
  });
}

export function pinSchema(ctx: SchemaContext) {
  return z.strictObject({
    function: functionTarget.optional(),
    at: z.string().refine((a) => parseLocationTarget(a) !== null, {
      message: 'expected `path:line`, e.g. src/audit.ts:42',
      ...tag('SL1003'),
    }).optional(),
    stop: stopReference(ctx, 'SL1004'),
  });
}

export const analysisSchema = z.strictObject({
  loopFactor: z.number().positive().optional(),
  branchProbability: z.number().min(0).max(1).optional(),
  inlineDepth: z.number().int().nonnegative().optional(),
  inlineBudget: z.number().int().positive().optional(),
});

/** Top-level sections may be left empty (`pins:` with nothing after it): empty means absent. */
export function configSchema(ctx: SchemaContext) {
  return z.strictObject({
    tsconfig: z.string().min(1).nullable().optional(),
    line: z.array(stopSchema).min(1).nullable().optional(),
    stores: z.record(z.string().min(1), storeSchema(ctx)).nullable().optional(),
    entries: z.array(entrySchema(ctx)).nullable().optional(),
    pins: z.array(pinSchema(ctx)).nullable().optional(),
    analysis: analysisSchema.nullable().optional(),
  });
}

export type RawConfig = z.infer<ReturnType<typeof configSchema>>;
export type RawStop = z.infer<typeof stopSchema>;
export type RawStore = z.infer<ReturnType<typeof storeSchema>>;
export type RawEntry = z.infer<ReturnType<typeof entrySchema>>;
export type RawPin = z.infer<ReturnType<typeof pinSchema>>;

/** The keys each kind of map accepts, for "did you mean" suggestions: chosen by the path of the map. */
export function allowedKeys(path: readonly (string | number)[]): readonly string[] {
  const ctx: SchemaContext = { stops: null, presets: [] };
  const [section] = path;
  if (path.length === 0) return Object.keys(configSchema(ctx).shape);
  if (section === 'line') return Object.keys(stopSchema.shape);
  if (section === 'stores') return Object.keys(storeSchema(ctx).shape);
  if (section === 'entries') return Object.keys(entrySchema(ctx).shape);
  if (section === 'pins') return Object.keys(pinSchema(ctx).shape);
  if (section === 'analysis') return Object.keys(analysisSchema.shape);
  return [];
}
