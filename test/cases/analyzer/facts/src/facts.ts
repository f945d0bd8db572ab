import fs from 'node:fs';

let counter = 0;
const cache = new Map<string, string>();
const limits = { max: 10 };

/** @stopline entry edge */
export async function facts(key: string): Promise<number> {
  const token = process.env.API_TOKEN ?? '';
  const el = document.querySelector('#out');
  const hosts = fs.readFileSync('/etc/hosts', 'utf8');
  counter++;
  cache.set(key, hosts);
  const seen = cache.get(key) ?? '';
  const max = limits.max;
  const sum = eval('1 + 1') as number;
  const make = new Function('return 1');
  const plugin = await import('./plugin.js');
  return token.length + (el ? 1 : 0) + seen.length + max + sum + make.length + plugin.weight;
}
