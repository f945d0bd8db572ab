import { writeFileSync } from 'node:fs';

export function save(): void {
  writeFileSync('/tmp/draft.txt', document.title);
}
