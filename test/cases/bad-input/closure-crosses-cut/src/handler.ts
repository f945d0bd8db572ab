import { pool } from './db.js';

export async function priced(id: string, rate: number): Promise<number> {
  const convert = (n: number): number => n * rate;
  const { rows } = await pool.query('SELECT price FROM items WHERE id = $1', [id]);
  return convert(rows.length);
}
