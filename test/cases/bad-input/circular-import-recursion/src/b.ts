import { walk } from './a.js';

export async function back(depth: number): Promise<number> {
  return walk(depth);
}
