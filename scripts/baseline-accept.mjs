// Accepts the baselines a test run wrote because they differed from the references:
// copies test/.tmp/baselines/local/<fixture>/<file> over fixtures/<fixture>/baselines/<file>
// (TypeScript's `baseline-accept`). Review the diff before committing.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const local = path.join(root, 'test/.tmp/baselines/local');
if (!fs.existsSync(local)) {
  console.log('no local baselines to accept (run npm test first)');
  process.exit(0);
}
let accepted = 0;
for (const fixture of fs.readdirSync(local).sort()) {
  for (const file of fs.readdirSync(path.join(local, fixture)).sort()) {
    const target = path.join(root, 'fixtures', fixture, 'baselines', file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(local, fixture, file), target);
    fs.rmSync(path.join(local, fixture, file));
    console.log(`accepted fixtures/${fixture}/baselines/${file}`);
    accepted++;
  }
}
console.log(`${accepted} baseline(s) accepted`);
