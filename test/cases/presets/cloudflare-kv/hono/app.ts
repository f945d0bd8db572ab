import { Hono } from 'hono';
import type { Env } from './env.js';

const app = new Hono<{ Bindings: Env }>();

app.get('/cart/:id', async (c) => {
  const cart = await c.env.CARTS.get(c.req.param('id'));
  await c.env.SESSIONS.put('last', c.req.param('id'));
  await c.env.FLAGS.get('beta');
  return c.json(cart);
});

export default app;
