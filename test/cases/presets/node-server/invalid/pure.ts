import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { Stats } from 'node:fs';

function readFileSync(name: string): string {
  return name;
}

export function pure(stats: Stats | null): string {
  const p = path.join('a', 'b');
  const h = createHash('sha256').update(p).digest('hex');
  new EventEmitter().emit('x');
  void stats;
  return readFileSync(h) + Buffer.from('x').toString('hex');
}
