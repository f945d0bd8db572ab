import { describe, expect, it } from 'vitest';
import { diagnostic } from '../../src/diagnostics/index.js';
import { sarifLog } from '../../src/report/sarif.js';

const range = (file: string, line: number, column: number, endLine: number, endColumn: number) => ({
  file,
  start: { line, column },
  end: { line: endLine, column: endColumn },
});

const findings = [
  diagnostic('SL4201', range('src/handlers.ts', 8, 1, 28, 2), { entry: 'viewCart', metric: 'latency', before: '1 ms', after: '2 ms' }),
  diagnostic('SL4206', range('src/handlers.ts', 49, 1, 92, 2), { entry: 'checkout', metric: 'latency', before: '2 ms', after: '1 ms' }),
  diagnostic('SL2002', range('src/my file.ts', 3, 5, 3, 9), { name: 'x', detail: 'y' }),
  diagnostic('SL4001', range('src/a.ts', 2, 3, 2, 35), { entry: 'handle', detail: 'd' }, [{ message: 'SL3005: secret', range: range('src/a.ts', 2, 10, 2, 21) }]),
  diagnostic('SL4204', null, { entry: 'gone' }),
  diagnostic('SL4201', range('src/handlers.ts', 31, 1, 46, 2), { entry: 'addToCart', metric: 'latency', before: '1 ms', after: '2 ms' }),
];

describe('sarifLog', () => {
  const log = sarifLog(findings, { toolVersion: '1.2.3', pathPrefix: 'packages/shop/' });
  const run = log.runs[0]!;

  it('is a SARIF 2.1.0 log with one run of stopline and a rule per code used', () => {
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('stopline');
    expect(run.tool.driver.version).toBe('1.2.3');
    expect(run.tool.driver.rules?.map((r) => `${r.id} ${r.defaultConfiguration?.level}`)).toEqual([
      'SL2002 warning', 'SL4001 error', 'SL4201 error', 'SL4204 error', 'SL4206 note',
    ]);
  });

  it('has one result per diagnostic with rule, level, message and a relative location under %SRCROOT%', () => {
    expect(run.results?.map((r) => `${r.ruleId} ${run.tool.driver.rules?.[r.ruleIndex!]?.id} ${r.level}`)).toEqual([
      'SL4201 SL4201 error', 'SL4206 SL4206 note', 'SL2002 SL2002 warning', 'SL4001 SL4001 error', 'SL4204 SL4204 error', 'SL4201 SL4201 error',
    ]);
    const first = run.results![0]!;
    expect(first.message.text).toBe(findings[0]!.message);
    expect(first.locations).toEqual([{
      physicalLocation: {
        artifactLocation: { uri: 'packages/shop/src/handlers.ts', uriBaseId: '%SRCROOT%' },
        region: { startLine: 8, startColumn: 1, endLine: 28, endColumn: 2 },
      },
    }]);
    expect(run.results![2]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('packages/shop/src/my%20file.ts');
    expect(run.results![3]!.relatedLocations?.map((l) => l.physicalLocation?.region?.startColumn)).toEqual([10]);
    expect(run.results![4]!.locations).toBeUndefined();
  });

  it('uses paths as they are without a prefix, and is deterministic', () => {
    const plain = sarifLog(findings, { toolVersion: '1.2.3' });
    expect(plain.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('src/handlers.ts');
    expect(JSON.stringify(sarifLog(findings, { toolVersion: '1.2.3' }))).toBe(JSON.stringify(plain));
    expect(sarifLog([], { toolVersion: '1' }).runs[0]!.results).toEqual([]);
  });
});
