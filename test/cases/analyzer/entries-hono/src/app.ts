import { Hono, type Context, type Next } from 'hono';

const app = new Hono();

async function timing(c: Context, next: Next): Promise<void> {
  const started = Date.now();
  await next();
  c.header('x-time', String(Date.now() - started));
}

function greet(c: Context): Response {
  const name = c.req.query('name') ?? 'world';
  return c.text(`hello ${name}`);
}

app.get('/hello', greet);
app.post('/items', timing, async (c) => {
  const body = await c.req.json<{ name: string }>();
  return c.json({ created: body.name }, 201);
});
app.get('/ping', (c) => c.text('pong'));

export default app;
