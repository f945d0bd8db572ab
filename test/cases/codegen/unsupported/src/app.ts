import { Hono } from 'hono';
import { Pool } from 'pg';

export const pool = new Pool();
const app = new Hono();

app.get('/items', async (c) => {
  const limit = Number(c.req.query('limit') ?? '10');
  const label = `first ${limit}`;
  return c.json({ label, items: (await pool.query('SELECT id FROM items LIMIT $1', [limit])).rows });
});

app.get('/count', async (c) => {
  const { rows } = await pool.query('SELECT count(*) AS n FROM items');
  return c.json({ n: rows[0].n });
});

export default app;
