import { pool } from './db.js';

class Cart {
  constructor(readonly id: string) {}
  get size(): Promise<number> {
    return pool.query('SELECT count(*) AS n FROM items WHERE cart = $1', [this.id]).then((r) => r.rows.length);
  }
}

export async function total(id: string): Promise<number> {
  const cart = new Cart(id);
  const n = await cart.size;
  return n * 2;
}
