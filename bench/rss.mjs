// Preloaded with `node --import ./bench/rss.mjs …` into a measured child process (tsc or the
// analyzer). On `exit` — which also fires when the program calls process.exit(), as tsc
// does — it records the process's peak resident set size.
//
// STOPLINE_BENCH_RSS_FILE set: writes {"maxRssKiB":…,"exitCode":…} to that file.
// Otherwise: writes the line `STOPLINE_BENCH_RSS {…}` to stderr.
import { writeFileSync } from 'node:fs';

process.on('exit', (code) => {
  // Linux reports ru_maxrss in KiB.
  const record = JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, exitCode: code });
  const file = process.env.STOPLINE_BENCH_RSS_FILE;
  if (file) {
    writeFileSync(file, record + '\n');
  } else {
    process.stderr.write(`STOPLINE_BENCH_RSS ${record}\n`);
  }
});
