import { pool } from './db.js';

export async function lookup(id: string): Promise<number> {
  const limit: number = 'ten';
  const { rows } = await pool.query('SELECT n FROM t WHERE id = $1 LIMIT 10', [id]);
  return rows.length + limit.length;
}
