import { pool } from './db.js';

export async function count(): Promise<number> {
  const { rows } = await pool.query('SELECT count(*) AS n FROM t');
  if (rows.length > 0) {
    return rows.length;
