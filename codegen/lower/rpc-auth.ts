import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ConfigStoreImport } from './imports.js';

/**
 * Authentication of the calls between trusted stops, inside each stop's component (so it
 * holds whatever host carries the link: the local line, a wasi:http host).
 *
 * The caller's link seals the wire-encoded call (`body`) in an envelope:
 *
 *   stopline-link/1\n{"from":"edge","to":"origin","segment":"s3","ts":1700000000000,"nonce":"<32 hex>","mac":"<64 hex>"}\n<body>
 *
 * `mac` = HMAC-SHA256(key, JSON.stringify([from, to, segment, ts, nonce]) + "\n" + body),
 * hex. The key is the deployment's `STOPLINE_LINK_KEY` (at least 32 characters, its UTF-8
 * bytes), read from `wasi:config/store` at each call — never from the bundle. Rotation: a
 * stop signs with `STOPLINE_LINK_KEY` and accepts a MAC under it or under
 * `STOPLINE_LINK_KEY_PREVIOUS`; roll a new key out as the current one everywhere with the
 * old one as previous, then drop the previous.
 *
 * The receiving dispatch `open`s it before decoding anything: the header parses to exactly
 * those fields, `to` is this stop and `segment` the one invoked, the MAC verifies
 * (constant-time), `ts` is within `windowMs` (default 30 s) of this stop's clock (the
 * guest's `Date.now()`), and the nonce was not seen within the window (the nonces seen
 * are kept until they leave the window, at most `maxNonces`; when full, calls are refused
 * rather than a nonce forgotten early).
 *
 * A second delivery of an envelope (the same bytes: a replay, or the host carrying the
 * link retrying after a lost answer or delivering a duplicate — the caller is blocked in
 * its synchronous `link.call`, so a retry cannot be re-sealed) never runs the segment
 * again: `open` reports it as a `replay`, and the dispatch answers with the answer it
 * `remember`ed for that nonce, byte for byte. Answers are kept while their nonce is in the
 * window, at most `maxAnswerBytes` in all (oldest dropped first); a replay whose answer is
 * not kept (dropped, or the first delivery failed) is refused: `unauthenticated`. Every failure is an `AuthFailure`: `bad-payload`
 * when the header does not parse, `unauthenticated` otherwise.
 *
 * A payload that is not an envelope (a bare wire call) is an unauthenticated call: what
 * the client stop (which never holds the key: its world has no wasi:config) and a
 * request's arrival send. The dispatch accepts those only for the segments the client may
 * call and for entries (link.ts).
 *
 * A trusted stop without a key (or with one too short) refuses to seal, so its calls fail
 * with `unauthenticated`, and refuses every envelope: a deployment without a key never
 * runs unauthenticated between its trusted stops. The local line gives each run a random
 * key when the runtime configuration has none (src/runtime/line/link-key.ts).
 *
 * Plain JavaScript: runs inside the component.
 */

export const LINK_KEY = 'STOPLINE_LINK_KEY';
export const LINK_KEY_PREVIOUS = 'STOPLINE_LINK_KEY_PREVIOUS';
export const ENVELOPE_MARK = 'stopline-link/1\n';
export const MIN_KEY_LENGTH = 32;
export const DEFAULT_WINDOW_MS = 30_000;
export const DEFAULT_MAX_NONCES = 4096;

/** A crossing refused by authentication, with its rpc-error code. */
export class AuthFailure extends Error {
  override readonly name = 'AuthFailure';
  constructor(
    readonly code: 'unauthenticated' | 'bad-payload',
    message: string,
  ) {
    super(message);
  }
}

export interface LinkKeys {
  readonly current: string | undefined;
  readonly previous: string | undefined;
}

export interface LinkAuthOptions {
  /** this stop's name */
  readonly stop: string;
  /** the deployment's keys, read at each call */
  readonly keys: () => LinkKeys;
  readonly now?: () => number;
  /** a fresh unpredictable nonce (hex) */
  readonly nonce?: () => string;
  readonly windowMs?: number;
  readonly maxNonces?: number;
  /** UTF-16 code units of answers kept for replays, in all (default 4 Mi) */
  readonly maxAnswerBytes?: number;
}

export interface Sealed {
  readonly from: string;
  readonly body: string;
  readonly nonce: string;
  /** the answer to the first delivery of this envelope, when this is a second one */
  readonly replay: { readonly answer: string } | null;
}

export interface LinkAuth {
  readonly stop: string;
  /** The envelope of a call of `segment` at `to` carrying `body`. Throws AuthFailure without a key. */
  seal(to: string, segment: string, body: string): string;
  /** Whether `payload` is an envelope (else it is an unauthenticated call). */
  isSealed(payload: string): boolean;
  /** The verified caller and body of an envelope for `segment` at this stop. Throws AuthFailure. */
  open(segment: string, payload: string): Sealed;
  /** Keeps the answer to the envelope with `nonce`, for its replays. */
  remember(nonce: string, answer: string): void;
}

interface Header {
  from: string;
  to: string;
  segment: string;
  ts: number;
  nonce: string;
  mac: string;
}

const HEADER_KEYS = ['from', 'to', 'segment', 'ts', 'nonce', 'mac'];

function macOf(key: string, h: Omit<Header, 'mac'>, body: string): string {
  return bytesToHex(hmac(sha256, utf8ToBytes(key), utf8ToBytes(`${JSON.stringify([h.from, h.to, h.segment, h.ts, h.nonce])}\n${body}`)));
}

/** Constant-time comparison of two hex strings. */
function sameMac(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function usable(key: string | undefined): key is string {
  return typeof key === 'string' && key.length >= MIN_KEY_LENGTH;
}

function randomNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return bytesToHex(bytes);
}

function parseHeader(text: string): Header {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AuthFailure('bad-payload', 'the envelope header is not JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new AuthFailure('bad-payload', 'the envelope header is not an object');
  const keys = Object.keys(raw);
  if (keys.length !== HEADER_KEYS.length || !HEADER_KEYS.every((k) => Object.hasOwn(raw, k))) throw new AuthFailure('bad-payload', `the envelope header must have exactly ${HEADER_KEYS.join(', ')}`);
  const h = raw as Record<string, unknown>;
  for (const k of ['from', 'to', 'segment', 'nonce', 'mac']) if (typeof h[k] !== 'string') throw new AuthFailure('bad-payload', `the envelope's ${k} is not a string`);
  if (typeof h.ts !== 'number' || !Number.isSafeInteger(h.ts)) throw new AuthFailure('bad-payload', "the envelope's ts is not an integer");
  if (!/^[0-9a-f]{32}$/.test(h.nonce as string) || !/^[0-9a-f]{64}$/.test(h.mac as string)) throw new AuthFailure('bad-payload', "the envelope's nonce or mac is not hex of the right length");
  return h as unknown as Header;
}

export function createLinkAuth(options: LinkAuthOptions): LinkAuth {
  const { stop, keys } = options;
  const now = options.now ?? (() => Date.now());
  const nonce = options.nonce ?? randomNonce;
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const maxNonces = options.maxNonces ?? DEFAULT_MAX_NONCES;
  const maxAnswerBytes = options.maxAnswerBytes ?? 4 * 1024 * 1024;
  /** nonce → the time it stops mattering (its ts + window), and its answer while kept */
  const seen = new Map<string, { until: number; answer: string | null }>();
  let answerBytes = 0;
  const forget = (n: string): void => {
    const e = seen.get(n);
    if (e?.answer != null) answerBytes -= e.answer.length;
    seen.delete(n);
  };
  // Oldest first (insertion order): stop at the first nonce still in its window. One inserted
  // later with an earlier end is kept a little longer: only memory, never a replay let through.
  const prune = (t: number): void => {
    for (const [n, { until }] of seen) {
      if (until >= t) return;
      forget(n);
    }
  };
  return {
    stop,
    seal(to, segment, body) {
      const { current } = keys();
      if (!usable(current)) throw new AuthFailure('unauthenticated', `stop '${stop}' has no usable ${LINK_KEY} (at least ${MIN_KEY_LENGTH} characters) in its configuration: it cannot call '${to}'`);
      const h = { from: stop, to, segment, ts: Math.floor(now()), nonce: nonce() };
      return `${ENVELOPE_MARK}${JSON.stringify({ ...h, mac: macOf(current, h, body) })}\n${body}`;
    },
    isSealed: (payload) => payload.startsWith(ENVELOPE_MARK),
    open(segment, payload) {
      if (!payload.startsWith(ENVELOPE_MARK)) throw new AuthFailure('unauthenticated', 'the call is not sealed');
      const end = payload.indexOf('\n', ENVELOPE_MARK.length);
      if (end < 0) throw new AuthFailure('bad-payload', 'the envelope has no body');
      const h = parseHeader(payload.slice(ENVELOPE_MARK.length, end));
      const body = payload.slice(end + 1);
      const { current, previous } = keys();
      const candidates = [current, previous].filter(usable);
      if (candidates.length === 0) throw new AuthFailure('unauthenticated', `stop '${stop}' has no usable ${LINK_KEY} in its configuration: it accepts no call from another trusted stop`);
      // Always compute every candidate's MAC (no early exit on which key matched).
      const ok = candidates.map((k) => sameMac(macOf(k, h, body), h.mac)).reduce((a, b) => a || b, false);
      if (!ok) throw new AuthFailure('unauthenticated', 'the envelope does not verify under the deployment key');
      if (h.to !== stop) throw new AuthFailure('unauthenticated', `the envelope is addressed to '${h.to}', not to '${stop}'`);
      if (h.segment !== segment) throw new AuthFailure('unauthenticated', `the envelope is for segment '${h.segment}', not '${segment}'`);
      const t = now();
      if (Math.abs(t - h.ts) > windowMs) throw new AuthFailure('unauthenticated', `the envelope's timestamp is outside the ${windowMs} ms window`);
      prune(t);
      const first = seen.get(h.nonce);
      if (first !== undefined) {
        if (first.answer === null) throw new AuthFailure('unauthenticated', 'the envelope was replayed (its nonce was seen within the window) and its answer is not kept');
        return { from: h.from, body, nonce: h.nonce, replay: { answer: first.answer } };
      }
      if (seen.size >= maxNonces) throw new AuthFailure('unauthenticated', `too many calls within the window (${maxNonces}): refused rather than forget a nonce early`);
      seen.set(h.nonce, { until: h.ts + windowMs, answer: null });
      return { from: h.from, body, nonce: h.nonce, replay: null };
    },
    remember(n, answer) {
      const e = seen.get(n);
      if (e === undefined || e.answer !== null || answer.length > maxAnswerBytes) return;
      for (const other of seen.values()) {
        if (answerBytes + answer.length <= maxAnswerBytes) break;
        if (other.answer !== null) {
          answerBytes -= other.answer.length;
          other.answer = null;
        }
      }
      e.answer = answer;
      answerBytes += answer.length;
    },
  };
}

/** The keys of a server stop, from `wasi:config/store` (a configuration failure reads as no key). */
export function configKeys(config: ConfigStoreImport): () => LinkKeys {
  const read = (name: string): string | undefined => {
    try {
      const v = config.get(name);
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  };
  return () => ({ current: read(LINK_KEY), previous: read(LINK_KEY_PREVIOUS) });
}
