import { pool } from './db.js';

function summary(rows: unknown[]): string {
  const head = `${rows.length} rows`;
  return head.toUpperCase();
}

export async function report(id: string): Promise<string> {
  const { rows } = await pool.query('SELECT n FROM t WHERE id = $1', [id]);
  return summary(rows);
}
