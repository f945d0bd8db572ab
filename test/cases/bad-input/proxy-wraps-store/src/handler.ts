import { pool } from './db.js';

const traced = new Proxy(pool, {
  get(target, key, receiver) {
    return Reflect.get(target, key, receiver);
  },
});

export async function lookup(id: string): Promise<number> {
  const { rows } = await traced.query('SELECT n FROM t WHERE id = $1', [id]);
  return rows.length;
}
