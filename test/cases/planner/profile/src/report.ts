import { pool } from './db.js';

/** A loop of queries: statically ten trips, so the loop moves to the origin as one batch. */
export async function lines(ids: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) {
    const { rows } = await pool.query<{ label: string }>('SELECT label FROM items WHERE id = $1', [id]);
    out.push(rows[0]?.label ?? '?');
  }
  return out;
}
