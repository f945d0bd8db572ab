import { connect } from 'no-such-driver';

export async function lookup(id: string): Promise<number> {
  const db = connect();
  const row = await db.find(id);
  return row.n;
}
