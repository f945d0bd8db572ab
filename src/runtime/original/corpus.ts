import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { pageSchema, type PageElementSpec } from '../page/page.js';
import { callArgSchema } from './call-case.js';
import type { OriginalRequest } from './run.js';
import type { JsonValue } from './stores.js';
import { OriginalLoadError } from './transpile.js';

/**
 * A request corpus (`fixtures/<name>/requests.json`): the hand-written edge cases a
 * differential test runs on the original and on the split program.
 *
 *   [ { "name": "viewCart/three-lines", "entry": "viewCart", "about": "…",
 *       "request": { "method": "GET", "url": "https://shop.example/cart", "headers": { "x-user-id": "ada" } } } ]
 *
 * `name` is unique; `about` says what the case covers; `roundTrips` the hand-derived
 * round trips per link of the case's path under the plan; `client` picks the simulated client
 * of client-local stores; `seed` names a seed file (relative to the corpus file) the case
 * starts from instead of the fixture's (a cache already filled, say); `body` is text (JSON
 * bodies as JSON text, so malformed JSON can be a case).
 *
 * A call-style case (an entry that is a function of arguments, such as a client entry)
 * gives `args` instead of `request`, and optionally the client's page as `dom`: see
 * call-case.ts for their JSON forms.
 */

export interface RequestCase {
  readonly name: string;
  readonly entry: string;
  readonly about?: string;
  readonly client?: string;
  /** A seed file relative to the corpus file, instead of the fixture's own seed. */
  readonly seed?: string;
  /** An HTTP request (route entries); exactly one of `request` and `args`. */
  readonly request?: OriginalRequest;
  /** The arguments of a call-style entry, in call-case.ts's JSON form. */
  readonly args?: readonly JsonValue[];
  /** The client's page while the case runs (call-case.ts; src/runtime/page/page.ts). */
  readonly dom?: readonly PageElementSpec[];
  /**
   * The round trips per link (`"edge-origin": 1`) this request's path makes under the
   * fixture's plan, derived by hand from the plan (cuts entered, accesses served away):
   * the differential tests compare it with the runtime's trace. Links not named: 0.
   */
  readonly roundTrips?: Readonly<Record<string, number>>;
}

export const requestSchema = z.strictObject({
  method: z.string().regex(/^[A-Z]+$/),
  url: z.url(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.string().optional(),
});

const corpusSchema = z.array(
  z.strictObject({
    name: z.string().min(1),
    entry: z.string().min(1),
    about: z.string().optional(),
    client: z.string().optional(),
    seed: z.string().min(1).optional(),
    request: requestSchema.optional(),
    args: z.array(callArgSchema).optional(),
    dom: pageSchema.optional(),
    roundTrips: z.record(z.string().regex(/^[^-]+-[^-]+$/), z.number().int().nonnegative()).optional(),
  }).refine((c) => (c.request === undefined) !== (c.args === undefined), { message: 'a case has either a request or args' }),
);

/** The seed file a case starts from: its own `seed` (relative to the corpus file's folder), else `fallback`. */
export function caseSeedFile(c: Pick<RequestCase, 'seed'>, corpusDir: string, fallback: string | null): string | null {
  return c.seed === undefined ? fallback : path.resolve(corpusDir, c.seed);
}

/** Reads and checks a corpus file; throws OriginalLoadError naming the problem. */
export function loadRequestCorpus(file: string): RequestCase[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OriginalLoadError(`Cannot read request corpus ${file}: ${(error as Error).message}`);
  }
  const parsed = corpusSchema.safeParse(raw);
  if (!parsed.success) {
    throw new OriginalLoadError(`Request corpus ${file}: ${parsed.error.issues.map((i) => `$${i.path.map((p) => `[${JSON.stringify(p)}]`).join('')}: ${i.message}`).join('; ')}`);
  }
  const seen = new Set<string>();
  for (const c of parsed.data) {
    if (seen.has(c.name)) throw new OriginalLoadError(`Request corpus ${file}: the name '${c.name}' is used twice`);
    seen.add(c.name);
  }
  return parsed.data as RequestCase[];
}
