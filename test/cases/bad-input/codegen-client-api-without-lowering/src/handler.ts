import { pool } from './db.js';

export async function visit(page: string): Promise<string> {
  const agent = navigator.userAgent;
  await pool.query('INSERT INTO visits (page, agent) VALUES ($1, $2)', [page, agent]);
  return agent;
}
