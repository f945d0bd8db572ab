import { pool } from './db.js';

export async function load(title: string): Promise<string> {
  const { rows } = await pool.query('SELECT body FROM pages WHERE title = $1', [title]);
  return String(rows[0]?.body ?? '');
}
