import { createHash } from 'node:crypto';

/**
 * Stable segment ids: `<entry>#<10 hex>`, hashed from the parent's id, the segment's
 * kind, a key text (a statement's own text with white space folded, a compound's header,
 * a block's role) and its index among same-keyed siblings. An edit changes the ids of
 * the edited segment and its descendants only, so plan diffs stay small.
 */
export function segmentId(entry: string, parentId: string | null, kind: string, key: string, duplicate: number): string {
  const hash = createHash('sha1')
    .update(`${parentId ?? ''}\u0000${kind}\u0000${key}\u0000${duplicate}`)
    .digest('hex')
    .slice(0, 10);
  return `${entry}#${hash}`;
}

/** White space folded to single spaces: ids survive reformatting. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
