import { Pool } from 'pg';

class Repo {
  query(sql: string): string[] {
    return [sql];
  }
}

function query(sql: string): string {
  return sql;
}

const fake = { query: (sql: string) => sql };

export async function lookalikes(untyped: any) {
  const repo = new Repo();
  repo.query('SELECT 1');
  query('DELETE FROM users');
  fake.query('INSERT INTO x VALUES (1)');
  new Map<string, string>().get('k');
  untyped.query('SELECT 1');
  const pool = new Pool();
  const c = await pool.connect();
  c.release();
  await pool.end();
}
