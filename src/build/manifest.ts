import { z } from 'zod';

/**
 * `dist/stopline.manifest.json` (`"schema": "stopline.manifest/v1"`): what a build made and
 * how to deploy and run it. Per stop: its component, bundled module and WIT world (paths
 * relative to the dist folder), the interfaces it imports and exports, the segments it
 * serves and the entries that arrive there, the stores it reaches and through which
 * interface, and hashes: `sha256` of the component's bytes (what a host verifies), and
 * `inputHash`, the build's cache key (reproducible: componentize-js does not make the
 * same bytes twice from the same inputs). Sorted and stable: the same build gives the
 * same manifest.
 */

const storeBinding = z.strictObject({
  store: z.string(),
  preset: z.string(),
  /** the WIT interface the stop reaches the store through, or null when the preset has no guest lowering */
  interface: z.string().nullable(),
});

const stopEntry = z.strictObject({
  stop: z.string(),
  trusted: z.boolean(),
  /** one-way latency of the hop from the previous stop (0 for the first) */
  latencyMs: z.number(),
  /** null when nothing runs at this stop (no segment placed there, no entry arriving there) */
  component: z
    .strictObject({
      path: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      inputHash: z.string().regex(/^[0-9a-f]{64}$/),
      bytes: z.number().int().positive(),
      module: z.string(),
      wit: z.string(),
      world: z.string(),
      /** client stops only: the module a page imports (`stopline-client.js`: `loadClient`, with the component transpiled by jco next to it) */
      browser: z.string().nullable(),
    })
    .nullable(),
  /** what the component imports and exports, read from the component (WASI interfaces of the engine included): what a host must provide */
  imports: z.array(z.string()),
  exports: z.array(z.string()),
  segments: z.array(z.string()),
  entries: z.array(z.string()),
  stores: z.array(storeBinding),
  /**
   * Server stops with a component: what a host must give it besides its imports
   * (src/deploy/stop-facts.ts) and the host descriptors written next to it (src/deploy).
   * Absent in builds made before descriptors existed and for the client stop.
   */
  host: z
    .strictObject({
      /** the stops it calls (each through `STOPLINE_ADDR_<STOP>`) */
      calls: z.array(z.string()),
      /** every key its guest reads through wasi:config/store */
      config: z.array(z.string()),
      /** origins of the http stores it reaches */
      outbound: z.array(z.string()),
      /** `edge/spin.toml`…, relative to the dist folder */
      descriptors: z.array(z.string()),
    })
    .optional(),
});

export const manifestSchema = z.strictObject({
  schema: z.literal('stopline.manifest/v1'),
  /** the stopline version that built it */
  stopline: z.string(),
  /** what the components implement: the optimum, or every entry whole at one stop (`placeAll`) */
  placement: z.union([z.literal('plan'), z.strictObject({ placeAll: z.string() })]),
  /** sha-256 of plan.json (written next to the manifest) and of the project's sources, for staleness checks */
  planSha256: z.string().regex(/^[0-9a-f]{64}$/),
  sourcesSha256: z.string().regex(/^[0-9a-f]{64}$/),
  stops: z.array(stopEntry),
  entries: z.array(
    z.strictObject({
      name: z.string(),
      arrives: z.string(),
      /** `GET /x` routes, or null for function entries */
      route: z.strictObject({ method: z.string(), path: z.string() }).nullable(),
      /** where the entry's root segment runs (≠ arrives: the request is forwarded) */
      rootStop: z.string(),
    }),
  ),
  stores: z.array(
    z.strictObject({
      name: z.string(),
      preset: z.string(),
      consistency: z.enum(['strong', 'eventual', 'local']),
      home: z.string(),
      replicas: z.array(z.string()),
    }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestStop = Manifest['stops'][number];

export const MANIFEST_FILE = 'stopline.manifest.json';

/** Parses a manifest's text; the first problem as words when it is not one. */
export function parseManifest(text: string): { manifest: Manifest; error: null } | { manifest: null; error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { manifest: null, error: `not JSON (${(error as Error).message})` };
  }
  const result = manifestSchema.safeParse(data);
  if (result.success) return { manifest: result.data, error: null };
  const issue = result.error.issues[0]!;
  return { manifest: null, error: `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}` };
}

export function manifestJson(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
