import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { PageElementSpec } from '../../src/runtime/page/page.js';

/**
 * A loopback HTTP server for browser tests of the client component: static files of
 * `root` (ES modules, core wasm with application/wasm for compileStreaming, an empty page)
 * and, when given, the link endpoint at POST /link.
 */
export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

const TYPES: Readonly<Record<string, string>> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8', '.ts': 'text/plain' };

export const EMPTY_PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>stopline client</title></head><body></body></html>';

export async function serveFolder(root: string, link?: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<TestServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/link' && link) return link(req, res);
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': TYPES['.html']! });
      res.end(EMPTY_PAGE);
      return;
    }
    const file = path.resolve(root, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** Lays out a corpus case's simulated page as real elements of the page's body, in document order. */
export async function layOutPage(page: Page, dom: readonly PageElementSpec[]): Promise<void> {
  // Page-side code as text: this project is type-checked without the DOM library.
  await page.evaluate(`(() => {
    document.body.replaceChildren();
    for (const e of ${JSON.stringify(dom)}) {
      const el = document.createElement(e.tag);
      if (e.id !== undefined) el.id = e.id;
      if (e.text !== undefined) el.textContent = e.text;
      if (e.value !== undefined) el.value = e.value;
      document.body.append(el);
    }
  })()`);
}
