// npm run demo: the whole job on the bundled example service (fixtures/shop), through the
// CLI as a user runs it: plan (plan.json, Markdown and HTML reports), build (one WASI
// component per stop into out/shop/dist), run one request on the local line with its
// trace, and measure the split against everything at the edge and everything at the
// origin on the fixture's request corpus.
import { run } from '../lib/src/cli/main.js';

const io = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
const steps = [
  ['plan: where each piece of the shop runs, and why', ['plan', 'fixtures/shop', '--out', 'out/shop/plan.json', '--markdown', 'out/shop/report.md', '--html', 'out/shop/report.html']],
  ['build: one WASI component per stop', ['build', 'fixtures/shop', '--out', 'out/shop/dist']],
  ['run: one request through the components on the local line', ['run', 'fixtures/shop', '--dist', 'out/shop/dist', '--case', 'viewCart/three-lines', '--trace']],
  ['measure: the split against everything at the edge and everything at the origin', ['measure', 'fixtures/shop']],
];
for (const [title, args] of steps) {
  process.stdout.write(`\n━━ ${title}\n$ stopline ${args.join(' ')}\n\n`);
  const code = await run(args, io);
  if (code !== 0) {
    process.stderr.write(`\nstopline ${args[0]} exited ${code}\n`);
    process.exit(code);
  }
}
process.stdout.write('\nreports: out/shop/report.md, out/shop/report.html · components: out/shop/dist (stopline.manifest.json)\n');
