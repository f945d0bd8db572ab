const document = { title: 'not the DOM' };

export async function shared(el: HTMLElement | null): Promise<string> {
  if (typeof window === 'undefined') console.log('server');
  if (typeof window.matchMedia !== 'function' || typeof (window.navigator) === 'undefined') console.log('old');
  const res = await fetch('https://api.example.com/x');
  setTimeout(() => undefined, 10);
  const id = crypto.randomUUID();
  const url = new URL('https://example.com/a?b=c');
  const bytes = new TextEncoder().encode(id);
  const controller = new AbortController();
  controller.abort();
  void el;
  return `${document.title} ${url.searchParams.get('b')} ${res.status} ${bytes.length} ${new Response('x').status}`;
}
