import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Line } from './line.js';

/**
 * The HTTP side of the browser host's link (src/runtime/browser/host.ts): a Node
 * `http` request handler that carries one crossing from a stop running elsewhere (the
 * client, in a page) into a stop of this line.
 *
 *   POST <any path>   x-stopline-from: client   x-stopline-to: edge   x-stopline-segment: <id>
 *   body: the wire-format call   →   200 the wire-format completion
 *                                    502 { code, message }: the crossing failed (an rpc-error)
 *                                    400 { code: 'bad-payload', … }: headers missing
 *
 * Each crossing goes through `line.cross`, so it is traced and charged on the line's
 * virtual clock like one between two hosted stops. The client holds no key, so its calls
 * arrive bare: the target's dispatch accepts them only for the segments a client cut calls,
 * validated by schema (codegen/lower/link.ts `DispatchGuard`). Serve it on loopback only.
 */
export function linkEndpoint(line: Line): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const header = (name: string): string | undefined => {
        const v = request.headers[name];
        return typeof v === 'string' && v !== '' ? v : undefined;
      };
      const from = header('x-stopline-from');
      const to = header('x-stopline-to');
      const segment = header('x-stopline-segment');
      const json = (status: number, value: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      if (request.method !== 'POST' || from === undefined || to === undefined || segment === undefined) {
        json(400, { code: 'bad-payload', message: 'a crossing is a POST with x-stopline-from, x-stopline-to and x-stopline-segment' });
        return;
      }
      const outcome = line.cross(from, to, segment, Buffer.concat(chunks).toString('utf8'));
      if (outcome.ok) {
        response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
        response.end(outcome.value);
      } else {
        json(502, outcome.error);
      }
    });
  };
}
