import type { Plan } from '../ir/index.js';

/** plan.json as written to disk: two-space JSON with a final newline, keys in the IR's order. */
export function planJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}
