import type { Line } from '../src/ir/index.js';

/**
 * The line as matrices the planner indexes by stop number: round-trip time (twice the
 * one-way hop latencies between two stops), transfer time per byte over the bottleneck
 * hop, and the adjacent links each pair of stops crosses.
 */
export interface LineMetrics {
  readonly k: number;
  readonly names: readonly string[];
  /** `"<stop>-<next stop>"` for each adjacent pair, in line order (k − 1 links). */
  readonly links: readonly string[];
  readonly rtt: Float64Array;
  readonly msPerByte: Float64Array;
  readonly slowdown: Float64Array;
  readonly trusted: readonly boolean[];
  readonly indexOf: ReadonlyMap<string, number>;
}

export function lineMetrics(line: Line): LineMetrics {
  const k = line.stops.length;
  const position: number[] = [];
  let sum = 0;
  for (let i = 0; i < k; i++) {
    if (i > 0) sum += line.stops[i]!.latencyMs;
    position.push(sum);
  }
  const rtt = new Float64Array(k * k);
  const msPerByte = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      rtt[i * k + j] = 2 * Math.abs(position[i]! - position[j]!);
      let bottleneck = Infinity;
      for (let h = Math.min(i, j) + 1; h <= Math.max(i, j); h++) {
        const mbps = line.stops[h]!.bandwidthMbps;
        if (mbps !== null) bottleneck = Math.min(bottleneck, mbps);
      }
      // Mbit/s = 1000 bits per ms; a byte is 8 bits.
      msPerByte[i * k + j] = bottleneck === Infinity ? 0 : 8 / (bottleneck * 1000);
    }
  }
  const names = line.stops.map((s) => s.name);
  return {
    k,
    names,
    links: names.slice(1).map((name, h) => `${names[h]}-${name}`),
    rtt,
    msPerByte,
    slowdown: Float64Array.from(line.stops, (s) => s.slowdown),
    trusted: line.stops.map((s) => s.trusted),
    indexOf: new Map(names.map((name, i) => [name, i])),
  };
}
