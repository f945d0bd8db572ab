import { createHmac } from 'node:crypto';

/** The secret, inside a string, would be written into the page at the client: refused. */
export function leakToPage(text: string): void {
  const key = process.env.PAGE_KEY ?? '';
  const line = `${text}:${key}`;
  const out = document.getElementById('out');
  if (out !== null && line.length > 0) throw new Error('no page writes in this case');
}

/** Only an HMAC of the secret goes back to the client: the key itself stays at the edge. */
export function signDraft(text: string): string {
  const key = process.env.DRAFT_KEY ?? '';
  const signature = createHmac('sha256', key).update(text).digest('hex');
  const shown = document.getElementById('draft')?.textContent ?? '';
  return `${shown}:${signature}`;
}

/** The secret inside the returned payload: it would reach the client, whatever the placement. */
export function returnSecret(): { token: string } {
  const token = process.env.API_TOKEN ?? '';
  return { token };
}

/** The secret inside an error thrown at a trusted stop: it would cross to the client. */
export function throwSecret(input: string): string {
  const key = process.env.EXPECTED_KEY ?? '';
  if (input !== key) {
    throw new Error(`expected ${key}`);
  }
  return 'ok';
}

/** A secret passed to a helper that is inlined: the helper's parameter carries it. */
export function throughHelper(text: string): string {
  const key = process.env.HELPER_KEY ?? '';
  const label = document.getElementById('label')?.textContent ?? '';
  return label + keyed(text, key);
}

function keyed(text: string, key: string): string {
  const mac = createHmac('sha256', key).update(text).digest('hex');
  const _unused = process.env.OTHER ?? '';
  return mac;
}
