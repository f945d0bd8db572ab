import mysql from 'mysql2/promise';

class Connection {
  execute(sql: string): string {
    return sql;
  }
  query(sql: string): string {
    return sql;
  }
}

export async function lookalikes() {
  const mine = new Connection();
  mine.execute('DELETE FROM users');
  mine.query('SELECT 1');
  const pool = mysql.createPool({ uri: 'mysql://localhost/app' });
  const conn = await pool.getConnection();
  conn.release();
  mysql.format('SELECT ?', [1]);
  await pool.end();
}
