import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (CI installs it with `apt-get install chromium`). */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Launches Debian's chromium headless through playwright-core. Throws (never skips) when it
 * is not installed, so a CI image without it fails loudly instead of passing vacuously.
 */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} not found: the HTML report tests need Debian's chromium (apt-get install -y chromium)`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}
