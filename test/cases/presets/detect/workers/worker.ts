import type { Env } from './env.js';

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    return new Response(await env.CACHE.get('k'));
  },
};
