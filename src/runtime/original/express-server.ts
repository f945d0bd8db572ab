import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Serves one web `Request` with a REAL Express application (or any Node request listener),
 * the way a deployment would: a Node HTTP server on 127.0.0.1 at an ephemeral port, one
 * HTTP/1.1 request sent to it with node:http, the answer read back as a web `Response`,
 * the server closed.
 *
 * What the application sees is the Request's own data: its method, the URL's path and
 * query, its headers (with the `content-type` a string body implies, as the web Request
 * has it), `host` from the URL and `content-length` of the body — the two headers any
 * HTTP/1.1 client sends. Transport details of this local hop are taken out on both sides,
 * because they are not the program's: the request's `connection` header (node:http's
 * client always sends one) is removed before the application runs, the server sends no
 * `date` header (`res.sendDate = false`; the runtime's clock is virtual), and the
 * response's hop-by-hop headers (`connection`, `keep-alive`, `transfer-encoding`) are
 * dropped. Everything else — status, every header the application or Node set
 * (content-length, etag, content-type…), the body — is what Node put on the wire.
 */

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);
const NULL_BODY = new Set([101, 204, 205, 304]);

export type RequestListener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export async function serveWithNodeHttp(listener: RequestListener, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const body = request.method === 'GET' || request.method === 'HEAD' ? null : Buffer.from(await request.arrayBuffer());
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers['host'] = url.host;
  if (body !== null) headers['content-length'] = String(body.length);

  const server = http.createServer((req, res) => {
    delete req.headers['connection'];
    const raw = req.rawHeaders;
    for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i]!.toLowerCase() === 'connection') raw.splice(i, 2);
    res.sendDate = false;
    listener(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  try {
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const outgoing = http.request({ host: '127.0.0.1', port, method: request.method, path: `${url.pathname}${url.search}`, headers, agent: false, setHost: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body ?? undefined);
    });
    const out = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (HOP_BY_HOP.has(name) || value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) out.append(name, v);
    }
    // Bytes, not text: a text body would make the Response add a content-type of its own.
    return new Response(NULL_BODY.has(answer.status) ? null : new Uint8Array(answer.body), { status: answer.status, headers: out });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
