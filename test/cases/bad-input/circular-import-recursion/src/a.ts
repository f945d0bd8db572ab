import { pool } from './db.js';
import { back } from './b.js';

export async function walk(depth: number): Promise<number> {
  if (depth <= 0) return 0;
  const { rows } = await pool.query('SELECT n FROM t WHERE d = $1', [depth]);
  return rows.length + (await back(depth - 1));
}
