import { signedUploadUrl } from './sign';

/**
 * An upload started on the client: the name and expiry are decided there, the URL is
 * signed where the signing key may be read (never on the client).
 */
export async function upload(request: Request): Promise<Response> {
  const name = new URL(request.url).searchParams.get('name') ?? 'file.bin';
  const expiresAt = Date.now() + 15 * 60 * 1000;
  const url = signedUploadUrl(name, expiresAt);
  return new Response(url, { headers: { 'content-type': 'text/plain' } });
}
