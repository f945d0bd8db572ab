import { pool } from './db.js';

class Counter {
  #count = 0;
  add(n: number): void {
    this.#count += n;
  }
  get value(): number {
    return this.#count;
  }
}

export async function tally(id: string): Promise<number> {
  const counter = new Counter();
  counter.add(1);
  const { rows } = await pool.query('SELECT n FROM t WHERE id = $1', [id]);
  counter.add(rows.length);
  return counter.value;
}
