import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A forwarder between two stops under `stopline serve`: an HTTP server on 127.0.0.1 that
 * passes every request on to `target` and its answer back, waiting `latencyMs` (the
 * one-way latency of the hops between the two stops, from the line) before each: the
 * request arrives `latencyMs` late, and so does the answer. The caller's
 * `STOPLINE_ADDR_<STOP>` points here. Requests are handled independently (a waiting one
 * does not hold up the next). A target that cannot be reached answers 502 (which the
 * caller's link reads as `unavailable`).
 */

export interface Forwarder {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

const delay = (ms: number): Promise<void> => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: Buffer) => parts.push(c));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

function headersOf(raw: http.IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
  return out;
}

export async function startForwarder(target: string, latencyMs: number, port = 0): Promise<Forwarder> {
  const base = new URL(target);
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      await delay(latencyMs);
      const answer = await new Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }>((resolve) => {
        const headers = { ...headersOf(req.headers), 'content-length': String(body.length) };
        const out = http.request({ hostname: base.hostname, port: base.port, method: req.method, path: req.url, headers }, (r) => {
          readAll(r).then(
            (b) => resolve({ status: r.statusCode ?? 502, headers: headersOf(r.headers), body: b }),
            () => resolve({ status: 502, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from('the stop broke off its answer') }),
          );
        });
        out.on('error', (e) => resolve({ status: 502, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(`cannot reach ${target}: ${e.message}`) }));
        out.end(body);
      });
      await delay(latencyMs);
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
      res.end(answer.body);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
