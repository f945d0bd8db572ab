import { readFileSync } from 'node:fs';
import { pool } from './db.js';

/** Arrives at the (untrusted) client and writes to Postgres: the decision must leave the client. */
export async function submitOrder(sku: string, quantity: number): Promise<number> {
  const total = quantity * 3;
  if (quantity > 0) {
    await pool.query('INSERT INTO orders (sku, quantity) VALUES ($1, $2)', [sku, quantity]);
  }
  return total;
}

/** Reads a file: server-only, so it runs at the origin. */
export function exportReport(name: string): string {
  const text = readFileSync(`/reports/${name}.csv`, 'utf8');
  return text.toUpperCase();
}

let visits = 0;

/** Module-level mutable state stays where the request arrives, even next to a query. */
export async function countVisit(page: string): Promise<number> {
  visits += 1;
  const { rows } = await pool.query<{ n: number }>('SELECT n FROM pages WHERE name = $1', [page]);
  return visits + (rows[0]?.n ?? 0);
}

/** Pinned to the origin by stopline.yaml, although nothing in it needs the origin. */
export function audit(message: string): string {
  return `[audit] ${message}`;
}

export function audited(message: string): string {
  const line = audit(message);
  return line.trim();
}
