import { pool } from './db.js';

export async function lookup(id: string): Promise<number> {
  const { rows } = await pool.query('SELECT n FROM t WHERE id = $1', [id]);
  return rows.length;
}
