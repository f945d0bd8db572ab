import { pool } from './db.js';

export async function* rows(ids: string[]): AsyncGenerator<number> {
  for (const id of ids) {
    const { rows } = await pool.query('SELECT n FROM t WHERE id = $1', [id]);
    yield rows.length;
  }
}
