import { pool } from './db.js';

export async function lookup(id: string): Promise<number> {
  const seen: string[] = [];
  const state = new Proxy({ hits: 0 }, {
    set(target, key, value) {
      seen.push(String(key));
      return Reflect.set(target, key, value);
    },
  });
  const { rows } = await pool.query('SELECT n FROM t WHERE id = $1', [id]);
  state.hits = rows.length;
  return state.hits + seen.length;
}
