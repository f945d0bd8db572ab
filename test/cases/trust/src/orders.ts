import { pool } from './db.js';

interface OrderBody {
  sku: string;
  quantity: number;
  price: number;
}

/** Unchecked: a request field straight into a strong write. */
export async function uncheckedQuantity(request: Request): Promise<Response> {
  const body = (await request.json()) as OrderBody;
  await pool.query('INSERT INTO orders (sku, quantity) VALUES ($1, $2)', [body.sku, body.quantity]);
  return new Response('ok');
}

/** Checked: destructured, then tested before the write. */
export async function checkedInline(request: Request): Promise<Response> {
  const { quantity } = (await request.json()) as OrderBody;
  if (typeof quantity !== 'number' || quantity < 1 || quantity > 99) {
    throw new Error('bad quantity');
  }
  await pool.query('INSERT INTO orders (quantity) VALUES ($1)', [quantity]);
  return new Response('ok');
}

function readQuantity(body: OrderBody): number {
  return Number(body.quantity);
}

async function save(quantity: number): Promise<void> {
  await pool.query(`INSERT INTO orders (quantity) VALUES (${quantity})`);
}

/** Unchecked: through a pure helper, an inlined writer and a template string. */
export async function throughHelpers(request: Request): Promise<Response> {
  const q = readQuantity((await request.json()) as OrderBody);
  await save(q);
  return new Response('ok');
}

function assertQuantity(value: unknown): void {
  if (typeof value !== 'number' || value > 99) {
    throw new Error('bad quantity');
  }
}

/** Checked: a validating function that throws. */
export async function validatorThrows(request: Request): Promise<Response> {
  const input = (await request.json()) as OrderBody;
  assertQuantity(input.quantity);
  await pool.query('INSERT INTO orders (quantity) VALUES ($1)', [input.quantity]);
  return new Response('ok');
}

/** Unchecked: the price travels inside a spread. */
export async function spreadPrice(request: Request): Promise<Response> {
  const body = (await request.json()) as OrderBody;
  const row = { ...body, createdAt: 1 };
  await pool.query('INSERT INTO orders (price) VALUES ($1)', [row.price]);
  return new Response('ok');
}

/** No flow: the price is recomputed from the catalogue (trusted data); the sku only selects it. */
export async function recomputedPrice(request: Request): Promise<Response> {
  const body = (await request.json()) as OrderBody;
  const { rows } = await pool.query<{ price: number }>('SELECT price FROM products WHERE sku = $1', [body.sku]);
  const price = rows[0]!.price;
  await pool.query('INSERT INTO orders (price) VALUES ($1)', [price]);
  return new Response('ok');
}
