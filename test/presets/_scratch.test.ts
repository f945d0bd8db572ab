import { test } from 'vitest';
import { loadCase, matcherFor, accesses, store, capabilities, detect } from './harness.js';
test('scratch', () => {
  for (const dir of ['pg/valid', 'pg/invalid']) {
    const c = loadCase(dir);
    const m = matcherFor(c, [store('main', 'pg')]);
    console.log(dir, JSON.stringify(accesses(c, m, { resolvedBy: true }), null, 0).replace(/\},\{/g, '},\n{'), m.diagnostics());
  }
  const c = loadCase('pg/bindings');
  const m = matcherFor(c, [store('primary', 'pg', { binding: 'db.ts#primary' }), store('analytics', 'pg', { binding: 'db.ts#analytics' })]);
  console.log(JSON.stringify(accesses(c, m), null, 0).replace(/\},\{/g, '},\n{'), JSON.stringify(m.diagnostics()));
  console.log(detect(c));
});
