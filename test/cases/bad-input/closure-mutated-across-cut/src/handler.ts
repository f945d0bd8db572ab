import { pool } from './db.js';

export async function counted(ids: string[]): Promise<number> {
  let calls = 0;
  const bump = (): void => {
    calls++;
  };
  for (const id of ids) {
    bump();
    await pool.query('SELECT n FROM t WHERE id = $1', [id]);
  }
  bump();
  return calls;
}
