import { pool } from './db.js';

export async function record(id: string): Promise<void> {
  await pool.query('INSERT INTO visits (id) VALUES ($1)', [id]);
}
