import type { Env } from './env.js';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const cart = await env.CARTS.get('cart:1');
    await env.CARTS.put('cart:1', '{}', { expirationTtl: 60 });
    const { value } = await env.SESSIONS.getWithMetadata('session:1');
    await env.SESSIONS.list({ prefix: 'session:' });
    await env.SESSIONS.delete('session:1');
    const { CARTS } = env;
    await CARTS.get('cart:2');
    await touch(env.SESSIONS);
    return new Response(cart ?? value ?? request.url);
  },
};

async function touch(kv: KVNamespace): Promise<void> {
  await kv.put('touched', '1');
}
