import { pool } from './db.js';

function* pages(total: number): Generator<number> {
  for (let i = 0; i < total; i++) yield i;
}

export async function report(total: number): Promise<number> {
  const it = pages(total);
  let sum = 0;
  for (const page of it) {
    const { rows } = await pool.query('SELECT n FROM t WHERE page = $1', [page]);
    sum += rows.length;
  }
  return sum;
}
