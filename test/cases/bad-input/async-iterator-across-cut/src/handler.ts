import { pool } from './db.js';

async function* stream(n: number): AsyncGenerator<number> {
  for (let i = 0; i < n; i++) yield i;
}

export async function sum(n: number): Promise<number> {
  const source = stream(n);
  let total = 0;
  for await (const i of source) {
    const { rows } = await pool.query('SELECT n FROM t WHERE i = $1', [i]);
    total += rows.length;
  }
  return total;
}
