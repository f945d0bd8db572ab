import { describe, expect, it } from 'vitest';
import { getPreset, presets } from '../../src/presets/index.js';
import { templatePreset } from '../../src/presets/_template.js';
import type { Preset } from '../../src/presets/types.js';

describe('the preset registry', () => {
  it('lists every preset once, sorted by name', () => {
    const names = presets.map((p) => p.name);
    expect(names).toEqual([
      'cloudflare-d1', 'cloudflare-kv', 'deno-kv', 'dom', 'drizzle', 'express', 'fastly-kv', 'fetch', 'hono',
      'ioredis', 'mysql2', 'node-server', 'pg', 'prisma', 'redis', 'secrets', 'web-storage',
    ]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('finds presets by name', () => {
    expect(getPreset('pg')?.name).toBe('pg');
    expect(getPreset('nope')).toBeUndefined();
    expect(getPreset('_template')).toBeUndefined();
  });

  it('has the top-level fields and nothing else, as plain JSON data', () => {
    for (const p of [...presets, templatePreset]) {
      expect(Object.keys(p).sort()).toEqual(['calls', 'capability', 'description', 'handles', 'name', 'packages', 'references', 'store']);
      expect(JSON.parse(JSON.stringify(p))).toEqual(p);
      expect(p.calls.length + p.references.length + p.handles.length).toBeGreaterThan(0);
    }
  });

  it('gives each store preset its defaults', () => {
    const defaults = (p: Preset | undefined) => p?.store && [p.store.kind, p.store.consistency, p.store.home, p.store.replicas, p.store.lowering];
    const sql = ['sql', 'strong', 'origin', 'none', 'stopline:sql/query'];
    const kv = ['kv', 'eventual', 'origin', 'edges', 'wasi:keyvalue/store'];
    for (const name of ['pg', 'mysql2', 'prisma', 'drizzle', 'cloudflare-d1']) expect(defaults(getPreset(name)), name).toEqual(sql);
    for (const name of ['fastly-kv', 'cloudflare-kv', 'deno-kv', 'ioredis', 'redis']) expect(defaults(getPreset(name)), name).toEqual(kv);
    expect(defaults(getPreset('fetch'))).toEqual(['http', 'strong', 'origin', 'none', 'wasi:http/outgoing-handler']);
    expect(defaults(getPreset('web-storage'))).toEqual(['local', 'local', 'client', 'none', 'stopline:local/storage']);
  });

  it('separates store, capability and framework presets', () => {
    for (const p of presets) {
      if (p.store) expect(p.capability, p.name).toBeNull();
    }
    expect(getPreset('dom')?.capability).toBe('client-only');
    expect(getPreset('secrets')?.capability).toBe('secret');
    expect(getPreset('node-server')?.capability).toBe('server-only');
    for (const name of ['dom', 'secrets', 'node-server']) expect(getPreset(name)?.store, name).toBeNull();
    for (const name of ['hono', 'express']) {
      const p = getPreset(name);
      expect([p?.store, p?.capability, p?.calls.length, p?.handles.every((h) => h.kind === 'request')], name).toEqual([null, null, 0, true]);
    }
  });

  it('only fetch needs a URL prefix', () => {
    const withUrl = presets.filter((p) => p.calls.some((c) => c.url !== undefined)).map((p) => p.name);
    expect(withUrl).toEqual(['fetch']);
  });
});
