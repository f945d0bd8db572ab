import { env } from 'fastly:env';
import { SecretStore } from 'fastly:secret-store';

export async function config() {
  const key = process.env.API_KEY;
  const url = process.env['DATABASE_URL'];
  const token = Deno.env.get('TOKEN');
  const secret = await new SecretStore('secrets').get('stripe');
  const host = env('FASTLY_HOSTNAME');
  return [key, url, token, secret?.plaintext(), host];
}
