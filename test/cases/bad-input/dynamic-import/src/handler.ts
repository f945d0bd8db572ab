import { pool } from './db.js';

export async function render(theme: string): Promise<string> {
  const { rows } = await pool.query('SELECT title FROM pages');
  const mod = await import(`./themes/${theme}.js`);
  return mod.wrap(String(rows[0]?.title));
}
