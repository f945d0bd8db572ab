import { createHmac } from 'node:crypto';

/** A URL the storage service accepts for one PUT of `name` until `expiresAt`. */
export function signedUploadUrl(name: string, expiresAt: number): string {
  const key = process.env.SIGNING_KEY;
  if (key === undefined || key === '') throw new Error('SIGNING_KEY is not configured');
  const path = `/v1/uploads/${encodeURIComponent(name)}`;
  const expires = Math.floor(expiresAt / 1000);
  const signature = createHmac('sha256', key).update(`PUT\n${path}\n${expires}`).digest('base64url');
  return `https://uploads.example.com${path}?expires=${expires}&signature=${signature}`;
}
