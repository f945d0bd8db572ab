import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';

/**
 * Read when the module is evaluated. In Node that is when the program loads, and it sees
 * the value; inside a component it is when the component is BUILT, where no configuration
 * exists: it reads undefined there and keeps the fallback.
 */
const MODULE_LEVEL_KEY = process.env.SIGNING_KEY ?? 'unset-at-module-level';

const ISSUER = 'secrets-fixture';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** POST /tokens — a body signature and a session token for the user named in the body. */
export async function issue(request: Request): Promise<Response> {
  const user = (await request.text()).trim();
  const signingKey = process.env.SIGNING_KEY;
  const jwtSecret = process.env.JWT_SECRET;
  if (signingKey === undefined || jwtSecret === undefined) {
    return json({ error: 'not configured' }, 500);
  }
  const signature = createHmac('sha256', signingKey).update(user).update(':', 'utf8').update('v1').digest('hex');
  const fingerprint = createHash('sha512').update(new TextEncoder().encode(user)).digest('base64url');
  const token = jwt.sign({ sub: user, scope: ['read'] }, jwtSecret, { expiresIn: '1h', issuer: ISSUER, jwtid: fingerprint.slice(0, 12) });
  return json({ signature, fingerprint, token, configured: Object.keys(process.env).sort() });
}

/** GET /me — the token's claims, or why it is refused. */
export async function check(request: Request): Promise<Response> {
  const header = request.headers.get('authorization') ?? '';
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  try {
    const claims = jwt.verify(token, process.env.JWT_SECRET!, { issuer: ISSUER, algorithms: ['HS256'] });
    return json({ ok: true, claims });
  } catch (error) {
    const e = error as jwt.JsonWebTokenError & { expiredAt?: Date };
    return json({ ok: false, name: e.name, message: e.message, expiredAt: e.expiredAt?.toISOString() ?? null, isJwtError: e instanceof jwt.JsonWebTokenError }, 401);
  }
}

/** GET /module-level — what the module-level read saw, and whether it equals the key read now. */
export async function moduleLevel(_request: Request): Promise<Response> {
  const now = process.env.SIGNING_KEY ?? '';
  const a = new TextEncoder().encode(MODULE_LEVEL_KEY);
  const b = new TextEncoder().encode(now);
  return json({ moduleLevel: MODULE_LEVEL_KEY, same: a.length === b.length && timingSafeEqual(a, b) });
}
