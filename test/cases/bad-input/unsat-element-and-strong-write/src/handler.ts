import { pool } from './db.js';

export async function mark(id: string): Promise<void> {
  const row = document.querySelector('#row');
  row?.classList.add('saving');
  await pool.query('UPDATE items SET seen = true WHERE id = $1', [id]);
}
