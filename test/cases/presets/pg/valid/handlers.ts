import { client, pool } from './db.js';

const SELECT_USER = 'SELECT * FROM users WHERE id = $1';

export async function getUser(id: string) {
  const { rows } = await pool.query(SELECT_USER, [id]);
  return rows[0];
}

export async function listOrders() {
  return pool.query(`
    -- recent orders
    SELECT * FROM orders ORDER BY created DESC LIMIT 10`);
}

export async function report() {
  await pool.query('WITH t AS (SELECT 1) SELECT * FROM t');
  await pool.query('  /* plan */ EXPLAIN SELECT 1');
  await pool.query({ text: 'show search_path' });
}

export async function addUser(name: string) {
  await pool.query('INSERT INTO users(name) VALUES ($1)', [name]);
  await pool.query('WITH moved AS (DELETE FROM a RETURNING *) SELECT * FROM moved');
  await pool.query('CREATE TABLE t (id int)');
}

export async function transfer(sql: string, id: number) {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query(`SELECT balance FROM accounts WHERE id = ${id}`);
    await c.query(sql);
    await c.query(`${sql} SELECT 1`);
    await c.query('COMMIT');
  } finally {
    c.release();
  }
}

export async function direct() {
  await client.connect();
  return client.query('select now()');
}
