import { describe, expect, it } from 'vitest';
import { configKeyAt } from '../../src/deploy/stop-facts.js';
import { spinRoutes } from '../../src/deploy/spin.js';
import { spinHost, wasmcloudHost } from '../../src/deploy/hosts.js';
import { addrKey } from '../../src/deploy/contract.js';

/** The pieces of the deploy model that read source text and translate routes, on small inputs. */
describe('configKeyAt: the key a secret read names, from the analyzer range of `process.env` or the call', () => {
  const at = (text: string, start: number, end: number) =>
    configKeyAt({ file: 'a.ts', start: { line: 1, column: start }, end: { line: 1, column: end } }, new Map([['a.ts', text]]));
  it('reads member, optional, non-null and string-index forms, and the argument of Deno.env.get', () => {
    expect(at('x(process.env.JWT_SECRET!)', 3, 14)).toBe('JWT_SECRET');
    expect(at('x(process.env?.PORT)', 3, 14)).toBe('PORT');
    expect(at("x(process.env['DATABASE_URL'])", 3, 14)).toBe('DATABASE_URL');
    expect(at("Deno.env.get('TOKEN')", 1, 22)).toBe('TOKEN');
  });
  it('names no key for the whole environment or a computed key', () => {
    expect(at('const all = { ...process.env }', 18, 29)).toBeNull();
    expect(at('process.env[name]', 1, 12)).toBeNull();
  });
});

describe('Spin routes from Express paths', () => {
  const route = (path: string, prefix = false) => ({ method: 'GET', path, prefix, entry: null });
  it('keeps literal and :name segments, a trailing *name becomes /..., a prefix becomes /..., one trigger per path', () => {
    expect(spinRoutes([route('/api/articles/:slug'), { ...route('/api/articles/:slug'), method: 'PUT' }, route('/files/*rest'), route('/x/', true), route('/')])).toEqual([
      { route: '/api/articles/:slug', note: null },
      { route: '/files/...', note: null },
      { route: '/x/...', note: null },
      { route: '/', note: null },
    ]);
  });
  it('widens a pattern Spin cannot express to the literal prefix before it, and says so', () => {
    const [r] = spinRoutes([route('/a/:id(\\d+)/b')]);
    expect(r!.route).toBe('/a/...');
    expect(r!.note).not.toBeNull();
  });
});

describe('hosts and contract names', () => {
  it('the address key of a stop: upper case, every other character as _', () => {
    expect(addrKey('edge-eu.1')).toBe('STOPLINE_ADDR_EDGE_EU_1');
  });
  it('pre-release interface versions match only exactly; 0.2.x WASI matches any 0.2 release', () => {
    expect(spinHost.missing('wasi:keyvalue/store@0.2.0-draft2')).toBeNull();
    expect(spinHost.missing('wasi:keyvalue/store@0.2.0-draft')).not.toBeNull();
    expect(spinHost.missing('wasi:http/outgoing-handler@0.2.12')).toBeNull();
    expect(wasmcloudHost.missing('wasi:keyvalue/store@0.2.0-draft')).toBeNull();
    expect(wasmcloudHost.missing('wasi:config/store@0.2.0-draft')).toBeNull();
    expect(wasmcloudHost.missing('stopline:line/sql@0.1.0')).not.toBeNull();
    expect(spinHost.configKey('stopline_link_key')).toBeNull();
    expect(spinHost.configKey('STOPLINE_LINK_KEY')).not.toBeNull();
  });
});
