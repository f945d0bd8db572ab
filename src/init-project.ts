import fs from 'node:fs';
import path from 'node:path';
import { suggestSetup } from '../analyzer/suggest.js';
import { CONFIG_FILE_NAMES, defaultConfig, renderStarterConfig } from './config/index.js';
import { diagnostic } from './diagnostics/index.js';
import type { Diagnostic } from './ir/index.js';

export interface InitResult {
  /** The file written, or null when nothing was written. */
  readonly written: string | null;
  readonly text: string | null;
  readonly stores: number;
  readonly entries: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * `stopline init` as a function: detects the libraries and candidate entries of the
 * project in `dir` and writes a commented starter stopline.yaml. It never overwrites:
 * an existing stopline.yaml (or .yml) is an error and nothing is written.
 */
export function initProject(dir: string): InitResult {
  const rootDir = path.resolve(dir);
  if (!fs.existsSync(rootDir) || !fs.statSync(rootDir).isDirectory()) {
    return { written: null, text: null, stores: 0, entries: 0, diagnostics: [diagnostic('SL1022', null, { dir })] };
  }
  for (const name of CONFIG_FILE_NAMES) {
    if (fs.existsSync(path.join(rootDir, name))) {
      return { written: null, text: null, stores: 0, entries: 0, diagnostics: [diagnostic('SL1020', null, { path: name })] };
    }
  }
  const suggestion = suggestSetup(rootDir, defaultConfig());
  const tsconfig = fs.existsSync(path.join(rootDir, 'tsconfig.json')) ? { tsconfig: 'tsconfig.json' } : {};
  const text = renderStarterConfig({ stores: suggestion.stores, entries: suggestion.entries, ...tsconfig });
  const target = path.join(rootDir, 'stopline.yaml');
  // 'wx' fails if the file appeared meanwhile: init never overwrites.
  try {
    fs.writeFileSync(target, text, { flag: 'wx' });
  } catch {
    return { written: null, text, stores: 0, entries: 0, diagnostics: [diagnostic('SL1020', null, { path: 'stopline.yaml' })] };
  }
  return { written: target, text, stores: suggestion.stores.length, entries: suggestion.entries.length, diagnostics: [] };
}
