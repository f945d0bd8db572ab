import { pool } from './db.js';

export async function total(id: string): Promise<number> {
  const { rows } = await pool.query('SELECT n FROM t WHERE id = $1', [id]);
  const doubled = rows.length * ;
  return doubled;
}
