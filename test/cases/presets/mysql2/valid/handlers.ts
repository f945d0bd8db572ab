import mysql from 'mysql2/promise';

export const pool = mysql.createPool({ uri: 'mysql://localhost/app' });

export async function handlers(id: number) {
  const [rows] = await pool.query('SELECT * FROM users WHERE id = ?', [id]);
  await pool.execute('UPDATE users SET seen = NOW() WHERE id = ?', [id]);
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    await conn.query({ sql: 'SELECT 1' });
    await conn.execute('DELETE FROM carts WHERE id = ?', [id]);
    const stmt = await conn.prepare('SELECT name FROM users WHERE id = ?');
    await stmt.execute([id]);
    await conn.commit();
  } finally {
    conn.release();
  }
  const single = await mysql.createConnection({ uri: 'mysql://localhost/other' });
  await single.query('SHOW TABLES');
  return rows;
}
