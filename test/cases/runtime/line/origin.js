// Test guest for the `server` world, stop "origin": reads SQL and KV through the host.
import { call } from 'stopline:line/link@0.1.0';
import { query, connect } from 'stopline:line/sql@0.1.0';
import { open } from 'wasi:keyvalue/store@0.2.0-draft';
import { increment } from 'wasi:keyvalue/atomics@0.2.0-draft';

const text = (bytes) => (bytes === undefined ? null : new TextDecoder().decode(bytes));
const caught = (f) => {
  try {
    return { ok: f() };
  } catch (e) {
    return { err: e.payload === undefined ? String(e) : e.payload };
  }
};

export const dispatch = {
  invoke(segment, payload) {
    if (segment === 'answer') {
      // payload: { sql, params, bucket, key }; params are already in the wire format.
      const ask = JSON.parse(payload);
      const rows = query(ask.store, ask.sql, ask.params);
      const bucket = open(ask.bucket);
      const value = text(bucket.get(ask.key));
      const hits = increment(bucket, 'hits', 1n);
      return JSON.stringify({ rows, value, hits: Number(hits) });
    }
    if (segment === 'sql') {
      const ask = JSON.parse(payload);
      return JSON.stringify(caught(() => query(ask.store, ask.sql, ask.params)));
    }
    if (segment === 'kv') {
      const ask = JSON.parse(payload);
      return JSON.stringify(caught(() => {
        const bucket = open(ask.bucket);
        if (ask.set !== undefined) bucket.set(ask.key, new TextEncoder().encode(ask.set));
        return { value: text(bucket.get(ask.key)), exists: bucket.exists(ask.key), keys: bucket.listKeys(undefined).keys };
      }));
    }
    if (segment === 'tx') {
      // payload: { store, steps: [[op, sql?, params?]] }; every step's outcome is reported.
      const ask = JSON.parse(payload);
      const opened = caught(() => connect(ask.store));
      if (opened.err !== undefined) return JSON.stringify([opened]);
      const conn = opened.ok;
      const out = ask.steps.map(([op, sql, params]) =>
        caught(() => (op === 'query' ? conn.query(sql, params) : (conn[op](), null))),
      );
      if (!ask.keep) conn[Symbol.dispose]?.();
      return JSON.stringify(out);
    }
    if (segment === 'bounce') {
      // Calls back the stop that called us: the host must refuse, not trap.
      try {
        return call('edge', 'echo', payload);
      } catch (e) {
        return JSON.stringify({ caught: e.payload });
      }
    }
    throw { code: 'unknown-segment', message: `origin has no segment ${segment}` };
  },
};
