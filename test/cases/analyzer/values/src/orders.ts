import pg from 'pg';

const pool = new pg.Pool();

class Tally {
  total = 0;
  add(n: number): void {
    this.total += n;
  }
}

/** @stopline entry origin */
export async function record(order: { id: number; tags: string[] }): Promise<number> {
  const db = pool;
  const client = await db.connect();
  const { rows } = await client.query<{ n: number }>('select count(*) as n from orders');
  client.release();
  const pending = db.query('select 1');
  const done = await pending;
  const tally = new Tally();
  tally.add(rows.length);
  order.tags.push('recorded');
  const notes: string[] = [];
  notes.push(`rows: ${done.rowCount ?? 0}`);
  return tally.total + notes.length;
}
