import { Pool } from 'pg';
import { createClient } from 'redis';

export async function later(pool: Pool) {
  await pool.query('SELECT 1');
  await fetch('https://api.example.com/carts');
  return createClient();
}
