import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMs, round } from '../../planner/measure.js';

describe('formatMs', () => {
  it('prints exactly what String(round(x)) prints', () => {
    for (const x of [0, -0, 0.05, 0.0004, 0.0005, -2.5, 70.069, 1438.336, 1e7 / 3, 123456789.0125]) expect([x, formatMs(x)]).toEqual([x, String(round(x))]);
    fc.assert(fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => formatMs(x) === String(round(x))), { numRuns: 2000 });
  });
});
