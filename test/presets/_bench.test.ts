import { test } from 'vitest';
import { Project, ts } from 'ts-morph';
import { presets } from '../../src/presets/index.js';
import { createMatcher } from '../../analyzer/match/index.js';
import { store } from './harness.js';
test('bench', () => {
  const mode = process.env.BENCH_MODE ?? 'match';
  const cpu = () => { const u = process.cpuUsage(); return Math.round((u.user + u.system) / 1000); };
  let t = cpu();
  const project = new Project({ tsConfigFilePath: '/tmp/bench/tsconfig.json' });
  const program = project.getProgram().compilerObject;
  const checker = program.getTypeChecker();
  console.log('load', cpu() - t); t = cpu();
  if (mode === 'both') {
    const m0 = createMatcher({ program, checker, rootDir: '/tmp/bench', presets, stores: [store('main', 'pg')] });
    let c = 0;
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile || sf.fileName.includes('node_modules')) continue;
      const visit = (n: ts.Node): void => {
        if (ts.isCallExpression(n) && m0.matchCall(n)) c++;
        if ((ts.isIdentifier(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isCallExpression(n)) && m0.matchCapability(n)) c++;
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    const tm = cpu() - t; t = cpu();
    const d = ts.getPreEmitDiagnostics(program);
    console.log('both match', tm, 'check after', cpu() - t, c, d.length);
    return;
  }
  if (mode === 'check') {
    const d = ts.getPreEmitDiagnostics(program);
    console.log('check', cpu() - t, d.length);
    return;
  }
  const m = createMatcher({ program, checker, rootDir: '/tmp/bench', presets, stores: [store('main', 'pg')] });
  let calls = 0, caps = 0, hits = 0;
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || sf.fileName.includes('node_modules')) continue;
    const visit = (n: ts.Node): void => {
      if (mode !== 'caps' && ts.isCallExpression(n)) { calls++; if (m.matchCall(n)) hits++; }
      if (mode !== 'calls' && (ts.isIdentifier(n) || ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n) || ts.isCallExpression(n))) {
        if (m.matchCapability(n)) caps++;
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  console.log('match', cpu() - t, { calls, hits, caps });
});
