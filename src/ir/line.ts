/** The line: ordered stops from the client to the origin. */
export type StopName = string;

export interface Stop {
  readonly name: StopName;
  /** Untrusted stops (the client) never hold secrets nor decide strong writes. */
  readonly trusted: boolean;
  /** Compute time relative to the origin (4 = four times slower). */
  readonly slowdown: number;
  /** One-way latency in ms to the previous stop on the line (0 for the first stop). */
  readonly latencyMs: number;
  /** Bandwidth of the hop to the previous stop in Mbit/s; null = not limited. */
  readonly bandwidthMbps: number | null;
}

export interface Line {
  readonly stops: readonly Stop[];
}
