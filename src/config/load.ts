import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../ir/index.js';
import { compareDiagnostics, diagnostic, hasErrors } from '../diagnostics/index.js';
import { isRecord } from './check.js';
import { defaultConfig } from './defaults.js';
import { parseConfig, type ConfigResult, type ParseOptions } from './parse.js';
import { YamlSource } from './yaml-source.js';

export interface LoadOptions extends ParseOptions {
  /** A config file to use instead of `<projectDir>/stopline.yaml`: absolute, or relative to the current directory. */
  readonly configFile?: string;
}

export const CONFIG_FILE_NAMES = ['stopline.yaml', 'stopline.yml'] as const;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Path relative to the project directory, with forward slashes. */
function projectRelative(projectDir: string, path: string): string {
  const rel = relative(projectDir, path);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

function errorDetail(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Reads and validates the project's stopline.yaml (or stopline.yml, or
 * `options.configFile`). A project without a config file gets `defaultConfig()` and no
 * diagnostics. Never throws for bad input: every problem is a diagnostic.
 */
export function loadConfig(projectDir: string, options: LoadOptions = {}): ConfigResult {
  const dir = resolve(projectDir);
  if (!isDirectory(dir)) {
    return { config: null, diagnostics: [diagnostic('SL1022', null, { dir: projectDir })] };
  }
  const warnings: Diagnostic[] = [];
  let path: string;
  if (options.configFile !== undefined) {
    path = resolve(options.configFile);
    if (!isFile(path)) {
      return { config: null, diagnostics: [diagnostic('SL1015', null, { file: options.configFile })] };
    }
  } else {
    const found = CONFIG_FILE_NAMES.map((name) => join(dir, name)).filter(isFile);
    const [used, ignored] = found;
    if (used === undefined) return { config: defaultConfig(), diagnostics: [] };
    if (ignored !== undefined) {
      const usedName = projectRelative(dir, used);
      warnings.push(diagnostic('SL1023', { file: projectRelative(dir, ignored), start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, {
        used: usedName,
        ignored: projectRelative(dir, ignored),
      }));
    }
    path = used;
  }

  const file = isAbsolute(path) ? projectRelative(dir, path) : path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { config: null, diagnostics: [...warnings, diagnostic('SL1024', null, { file, detail: errorDetail(error) })] };
  }

  const parsed = parseConfig(text, file, options);
  const diagnostics = [...warnings, ...parsed.diagnostics];
  const missing = missingTsconfig(dir, text, file);
  if (missing !== null) diagnostics.push(missing);
  diagnostics.sort(compareDiagnostics);
  return { config: hasErrors(diagnostics) ? null : parsed.config, diagnostics };
}

/** SL1014 when the `tsconfig:` value names no file or directory (checked even if the rest of the config is wrong). */
function missingTsconfig(dir: string, text: string, file: string): Diagnostic | null {
  const src = new YamlSource(text, file);
  if (src.doc.errors.length > 0) return null;
  const converted = src.value();
  const raw = converted.ok ? converted.value : undefined;
  const tsconfig = isRecord(raw) ? raw['tsconfig'] : undefined;
  if (typeof tsconfig !== 'string' || tsconfig === '' || existsSync(resolve(dir, tsconfig))) return null;
  return diagnostic('SL1014', src.valueRange(['tsconfig']), { file: tsconfig });
}
