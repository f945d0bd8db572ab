import type { RequestCase } from '../../src/runtime/original/index.js';

/**
 * The generated part of fixtures/offload/requests.json: `count` first uploads from a
 * seeded PRNG (mulberry32), deterministic on every machine. Each has a fresh client (no
 * draft), so each takes the signing path: one client → edge round trip (the plan's one
 * cut), none edge → origin. Bytes: 1–300 random bytes; names: 1–20 characters drawn from
 * letters, digits, URL-special characters, spaces and non-ASCII letters (whole code
 * points: a lone surrogate would make encodeURIComponent throw, which a hand-written case
 * covers); a caption field on the page in about half of them, its text random (some blank).
 * test/runtime/offload-corpus.test.ts checks the file holds exactly these.
 */
export const OFFLOAD_GENERATED_SEED = 0x5d1c9e;
export const OFFLOAD_GENERATED_COUNT = 12;
export const GENERATED_PREFIX = 'prepareUpload/generated-';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAME_CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~ /?&=#%+', 'é', 'ü', 'ß', '日', '本', '😀'];
const CAPTION_CHARS = [...'abcdefghijklmnopqrstuvwxyz ', 'é', '🌅', ' ', '\n'];

export function generatedOffloadCases(seed = OFFLOAD_GENERATED_SEED, count = OFFLOAD_GENERATED_COUNT): RequestCase[] {
  const random = mulberry32(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const cases: RequestCase[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = Uint8Array.from({ length: int(1, 300) }, () => int(0, 255));
    const name = Array.from({ length: int(1, 20) }, () => pick(NAME_CHARS)).join('');
    const withCaption = random() < 0.5;
    const caption = Array.from({ length: int(0, 16) }, () => pick(CAPTION_CHARS)).join('');
    const id = String(i + 1).padStart(2, '0');
    cases.push({
      name: `${GENERATED_PREFIX}${id}`,
      entry: 'prepareUpload',
      about: `Generated (seed ${OFFLOAD_GENERATED_SEED}, case ${i + 1}): a first upload of ${bytes.length} random bytes by a client without drafts; signed at the edge.`,
      client: `gen-${id}`,
      args: [{ base64: Buffer.from(bytes).toString('base64') }, name],
      ...(withCaption ? { dom: [{ tag: 'textarea', id: 'upload-caption', value: caption }] } : {}),
      roundTrips: { 'client-edge': 1 },
    });
  }
  return cases;
}
