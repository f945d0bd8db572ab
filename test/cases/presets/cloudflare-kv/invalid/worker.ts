interface KVNamespace {
  get(key: string): string;
}

const local: KVNamespace = { get: (key) => key };

export default {
  async fetch(request: Request): Promise<Response> {
    local.get('a');
    new Map<string, string>().get('a');
    request.headers.get('cookie');
    const cache = await caches.open('pages');
    await cache.put(request, new Response('x'));
    return new Response('ok');
  },
};
