import { pool } from './db.js';
import { step20 } from './big.js';

export async function score(id: string): Promise<number> {
  const { rows } = await pool.query('SELECT n FROM t WHERE id = $1', [id]);
  return step20(rows.length);
}
