import { pool } from './db.js';

/** A call-style entry at the client: its argument is untrusted; the check moves to a trusted stop. */
export async function clientOrder(quantity: number): Promise<void> {
  if (quantity > 99) {
    throw new Error('too many');
  }
  await pool.query('INSERT INTO orders (quantity) VALUES ($1)', [quantity]);
}

/** The page's value is checked only where the page is read, at the client: that check does not count. */
export async function pageOrder(): Promise<void> {
  const quantity = Number(document.getElementById('quantity')?.textContent);
  if (quantity > 99 && document.getElementById('confirm') === null) throw new Error('too many');
  await pool.query('INSERT INTO orders (quantity) VALUES ($1)', [quantity]);
}
