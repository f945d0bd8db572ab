import { test } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { formatDiagnostics } from '../../src/diagnostics/index.js';
import { testPresets } from './test-presets.js';

const docs = [
`tsconfig: tsconfig.json
line:
  - stop: client
    trusted: false
    slowdown: 4
    latencyMs: 3
  - stop: edge
    latency: 20
    bandwidthMbps: 100
  - stop: edge
    latencyMs: 70
  - stop: bad-name
    latencyMs: -1
stores:
  orders:
    preset: pgg
    consistency: weak
    home: edg
    replicas: [edge, mars]
  users:
    preset: dom
  s1:
    preset: pg
    urlPrefix: https://x/
  s2:
    preset: pg
    binding: nope
  api:
    preset: fetch
  empty:
entries:
  - function: src/handlers.ts#viewCart
    arrives: edgy
  - route: FETCH /cart
    arrives: edge
  - arrives: edge
  - function: a#b
    route: GET /x
    arrives: edge
  - nope
pins:
  - function: src/audit.ts#record
    stop: origin
  - function: ./src/audit.ts#record
    stop: edge
  - at: src/x.ts:0
    stop: edge
analysis:
  loopFactor: 0
  branchProbability: 2
  inlineDepth: 1.5
  inlineBudjet: 3
extra: 1
`,
`a: [1
b: c: d
`,
`- 1
- 2
`,
];
test('scratch', () => {
  for (const d of docs) {
    const r = parseConfig(d, 'stopline.yaml', { presets: testPresets });
    console.log(formatDiagnostics(r.diagnostics, () => d));
    console.log(JSON.stringify(r.diagnostics.map(x => [x.code, x.range?.start, x.range?.end])));
  }
});
