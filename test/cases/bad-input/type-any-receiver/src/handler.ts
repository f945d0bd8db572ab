import { pool } from './db.js';

export async function lookup(id: string): Promise<number> {
  const db: any = pool;
  const { rows } = await db.query('SELECT n FROM t WHERE id = $1', [id]);
  return rows.length;
}
