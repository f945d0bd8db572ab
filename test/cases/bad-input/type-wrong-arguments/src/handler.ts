import { pool } from './db.js';

export async function lookup(id: number): Promise<number> {
  const { rows } = await pool.query(id, 'SELECT n FROM t');
  return rows.length;
}
