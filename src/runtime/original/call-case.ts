import { z } from 'zod';
import type { PageElementSpec } from '../page/page.js';
import type { OriginalRequest } from './run.js';
import type { JsonValue } from './stores.js';

/**
 * Call-style corpus cases: an entry that is a function called with arguments (a client
 * entry such as `prepareUpload(file, name)`), not a route given an HTTP request.
 *
 *   { "name": "…", "entry": "prepareUpload", "args": [ { "base64": "AQID" }, "photo.raw" ],
 *     "dom": [ { "tag": "textarea", "id": "upload-caption", "value": "Sunset" } ] }
 *
 * `args` is a JSON array, one element per argument, in the JSON form the results use
 * (`jsonOf` in run.ts), so a case reads the same way in and out:
 *   - `{ "base64": "<bytes>" }`             a Uint8Array (as the seed file writes bytes);
 *   - `{ "filled": { "length": N, "byte": B } }`  a Uint8Array of N bytes, all B (a big
 *     input without megabytes of base64 in the corpus);
 *   - `{ "$undefined": true }`              undefined;
 *   - `{ "$object": { … } }`                a plain object whose keys would otherwise read
 *     as one of these forms;
 *   - anything else: the JSON value, objects and arrays decoded element by element.
 * `dom` is the client's page while the call runs (src/runtime/page/page.ts); absent, an
 * empty page.
 */

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const jsonValue: z.ZodType<JsonValue> = z.lazy(() => z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

/** One argument: any JSON, with the special forms checked where they appear. */
export const callArgSchema: z.ZodType<JsonValue> = jsonValue.superRefine((value, ctx) => {
  const problem = formProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

function isRecord(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What is wrong with a special form somewhere in `value`, or null. */
function formProblem(value: JsonValue): string | null {
  if (Array.isArray(value)) {
    for (const v of value) {
      const p = formProblem(v);
      if (p !== null) return p;
    }
    return null;
  }
  if (!isRecord(value)) return null;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'base64') {
    return typeof value['base64'] === 'string' && BASE64.test(value['base64']) ? null : '{ "base64": … } needs valid base64 text';
  }
  if (keys.length === 1 && keys[0] === 'filled') {
    const f = value['filled'];
    const ok = isRecord(f) && Object.keys(f).sort().join() === 'byte,length' && Number.isInteger(f['length']) && (f['length'] as number) >= 0 && Number.isInteger(f['byte']) && (f['byte'] as number) >= 0 && (f['byte'] as number) <= 255;
    return ok ? null : '{ "filled": { "length": N, "byte": B } } needs an integer N ≥ 0 and a byte 0–255';
  }
  if (keys.length === 1 && keys[0] === '$undefined') return value['$undefined'] === true ? null : '{ "$undefined": true } is the only form of undefined';
  if (keys.length === 1 && keys[0] === '$object') return isRecord(value['$object']) ? Object.values(value['$object']).map(formProblem).find((p) => p !== null) ?? null : '{ "$object": … } holds an object';
  if (keys.some((k) => k.startsWith('$'))) return `the key '${keys.find((k) => k.startsWith('$'))}' is reserved: wrap the object as { "$object": … }`;
  for (const v of Object.values(value)) {
    const p = formProblem(v);
    if (p !== null) return p;
  }
  return null;
}

/** One argument's JSON form → the value the entry is called with. */
export function decodeCallArg(value: JsonValue): unknown {
  if (Array.isArray(value)) return value.map(decodeCallArg);
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    if (keys[0] === 'base64') return new Uint8Array(Buffer.from(value['base64'] as string, 'base64'));
    if (keys[0] === 'filled') {
      const f = value['filled'] as { length: number; byte: number };
      return new Uint8Array(f.length).fill(f.byte);
    }
    if (keys[0] === '$undefined') return undefined;
    if (keys[0] === '$object') return Object.fromEntries(Object.entries(value['$object'] as Record<string, JsonValue>).map(([k, v]) => [k, decodeCallArg(v)]));
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeCallArg(v)]));
}

export function decodeCallArgs(args: readonly JsonValue[]): unknown[] {
  return args.map(decodeCallArg);
}

/** What one corpus case gives a runner: an HTTP request, or call arguments; and the client's page. */
export interface CaseInput {
  readonly request?: OriginalRequest;
  readonly args?: readonly unknown[];
  readonly dom?: readonly PageElementSpec[];
}

/** A corpus case's input as runOriginal / runOnComponents options (args decoded). */
export function caseInput(c: { readonly request?: OriginalRequest; readonly args?: readonly JsonValue[]; readonly dom?: readonly PageElementSpec[] }): CaseInput {
  return {
    ...(c.request !== undefined ? { request: c.request } : {}),
    ...(c.args !== undefined ? { args: decodeCallArgs(c.args) } : {}),
    ...(c.dom !== undefined ? { dom: c.dom } : {}),
  };
}
