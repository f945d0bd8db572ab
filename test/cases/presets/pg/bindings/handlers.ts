import { Pool, type PoolClient } from 'pg';
import { analytics, primary as db } from './db.js';

const other = new Pool({ database: 'unconfigured' });

export async function handlers(p: Pool) {
  await db.query('SELECT 1');
  await analytics.query('SELECT 2');
  const conn = await analytics.connect();
  await conn.query('INSERT INTO events VALUES (1)');
  await other.query('SELECT 3');
  await p.query('SELECT 4');
  await db.connect().then((c: PoolClient) => c.query('DELETE FROM sessions'));
}
