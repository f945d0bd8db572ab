import { KVStore } from 'fastly:kv-store';

export interface Env {
  CACHE: KVNamespace;
  DB: D1Database;
}

export declare const env: Env;
export const cache = env.CACHE;
export const d1 = env.DB;
export const statement = env.DB.prepare('SELECT 1');
export const fastlyStore = new KVStore('carts');
export const denoKv = await Deno.openKv();
export const atomic = denoKv.atomic();
