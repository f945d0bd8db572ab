import type { Preset } from './types.js';
import { cloudflareD1Preset } from './cloudflare-d1.js';
import { cloudflareKvPreset } from './cloudflare-kv.js';
import { denoKvPreset } from './deno-kv.js';
import { domPreset } from './dom.js';
import { drizzlePreset } from './drizzle.js';
import { expressPreset } from './express.js';
import { fastlyKvPreset } from './fastly-kv.js';
import { fetchPreset } from './fetch.js';
import { honoPreset } from './hono.js';
import { ioredisPreset } from './ioredis.js';
import { mysql2Preset } from './mysql2.js';
import { nodeServerPreset } from './node-server.js';
import { pgPreset } from './pg.js';
import { prismaPreset } from './prisma.js';
import { redisPreset } from './redis.js';
import { secretsPreset } from './secrets.js';
import { webStoragePreset } from './web-storage.js';

export type {
  Preset, PresetStore, Capability, SymbolPattern, OpRule, CallRule, ReferenceRule, HandleRule,
} from './types.js';

/** Every built-in preset, sorted by name. */
export const presets: readonly Preset[] = [
  cloudflareD1Preset,
  cloudflareKvPreset,
  denoKvPreset,
  domPreset,
  drizzlePreset,
  expressPreset,
  fastlyKvPreset,
  fetchPreset,
  honoPreset,
  ioredisPreset,
  mysql2Preset,
  nodeServerPreset,
  pgPreset,
  prismaPreset,
  redisPreset,
  secretsPreset,
  webStoragePreset,
].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

const byName = new Map(presets.map((p) => [p.name, p]));

/** The built-in preset called `name`, if any. */
export function getPreset(name: string): Preset | undefined {
  return byName.get(name);
}
