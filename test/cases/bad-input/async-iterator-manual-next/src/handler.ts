import { pool } from './db.js';

async function* ids(): AsyncGenerator<string> {
  yield 'a';
  yield 'b';
}

export async function first(): Promise<number> {
  const iterator = ids()[Symbol.asyncIterator]();
  const next = await iterator.next();
  const { rows } = await pool.query('SELECT n FROM t WHERE id = $1', [next.value]);
  const again = await iterator.next();
  return rows.length + (again.done ? 0 : 1);
}
