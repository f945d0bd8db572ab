interface Env {
  CACHE: KVNamespace;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const key = new URL(request.url).pathname;
    const cached = await env.CACHE.get(key);
    if (cached !== null) return new Response(cached);
    const body = `fresh ${key}`;
    await env.CACHE.put(key, body);
    return new Response(body);
  },
};
