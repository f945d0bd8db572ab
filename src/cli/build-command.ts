import path from 'node:path';
import { buildDirectory, type BuildResult } from '../build/build-project.js';
import { exitCode, type CliIO } from './io.js';
import { displayPath, printDiagnostics } from './plan-command.js';
import { readProfile, type ProfileFile } from './profile-file.js';
import { progress as startProgress } from './progress.js';

export interface BuildCommandOptions {
  readonly config?: string;
  readonly out?: string;
  readonly profile?: string;
  readonly placeAll?: string;
  readonly cache?: string;
}

/**
 * `stopline build [dir] [--out dist] [--place-all <stop|arrival>] [--cache dir]`: plan the
 * project, generate each stop's program, build one WASI component per stop (cached by
 * content hash: an unchanged stop is not rebuilt), and write dist/ whole or not at all.
 * Exit 0 built, 1 the project cannot be built (plan errors, codegen diagnostics, a failed
 * component build), 2 unusable config, profile or output folder.
 */
export async function buildCommand(dir: string | undefined, options: BuildCommandOptions, io: CliIO): Promise<number> {
  const progress = startProgress(io);
  try {
    const rootDir = path.resolve(io.cwd, dir ?? '.');
    let profile: ProfileFile | undefined;
    if (options.profile !== undefined) {
      const read = readProfile(path.resolve(io.cwd, options.profile), rootDir);
      if (read.diagnostic !== null) {
        printDiagnostics([read.diagnostic], rootDir, io);
        return exitCode.usage;
      }
      profile = read.profile;
    }
    const out = path.resolve(io.cwd, options.out ?? path.join(rootDir, 'dist'));
    const result = await buildDirectory(rootDir, {
      out,
      ...(options.config !== undefined ? { configFile: path.resolve(io.cwd, options.config) } : {}),
      ...(profile !== undefined ? { profile } : {}),
      ...(options.placeAll !== undefined ? { placeAll: options.placeAll } : {}),
      ...(options.cache !== undefined ? { cacheDir: path.resolve(io.cwd, options.cache) } : {}),
      onPhase: (phase) => progress.phase(phase),
    });
    progress.done();
    if (result.status === 'built') io.stdout.write(buildSummary(result, io.cwd));
    printDiagnostics(result.diagnostics, rootDir, io);
    return result.status === 'built' ? exitCode.ok : result.status === 'usage' ? exitCode.usage : exitCode.projectErrors;
  } finally {
    progress.done();
  }
}

/** The data and link interfaces by name; the engine's own WASI (clocks, io, cli, random) counted. */
function importsText(imports: readonly string[]): string {
  const engine = imports.filter((i) => /^wasi:(clocks|io|cli|random)\//.test(i));
  const named = imports.filter((i) => !engine.includes(i) && i !== 'stopline:line/types@0.1.0').map((i) => i.replace(/@[^@]+$/, ''));
  return `${named.join(', ')}${engine.length > 0 ? ` (+${engine.length} WASI interfaces of the engine)` : ''}`;
}

function buildSummary(result: BuildResult, cwd: string): string {
  const m = result.manifest!;
  const placement = m.placement === 'plan' ? 'the plan' : m.placement.placeAll === 'arrival' ? 'every entry whole at its arrival stop' : `every entry whole at ${m.placement.placeAll}`;
  const lines = [`built ${displayPath(cwd, result.out)} (${placement})`];
  for (const stop of m.stops) {
    const summary = result.stops.find((s) => s.stop === stop.stop);
    if (stop.component === null || !summary?.component) {
      lines.push(`  ${stop.stop.padEnd(8)} nothing runs here: no component`);
      continue;
    }
    const c = summary.component;
    const how = c.cached ? 'cached' : `built in ${(c.ms / 1000).toFixed(1)} s`;
    const serves = [stop.segments.length > 0 ? `${stop.segments.length} segment${stop.segments.length === 1 ? '' : 's'}` : '', stop.entries.length > 0 ? `${stop.entries.length} entr${stop.entries.length === 1 ? 'y' : 'ies'}` : ''].filter(Boolean).join(', ');
    lines.push(`  ${stop.stop.padEnd(8)} ${stop.component.path}  ${(c.bytes / 1e6).toFixed(1)} MB, ${how}; serves ${serves}; imports ${importsText(stop.imports)}`);
    if (stop.component.browser) lines.push(`  ${''.padEnd(8)} ${stop.component.browser}  (for browsers)`);
  }
  return `${lines.join('\n')}\n`;
}
