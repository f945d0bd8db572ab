import fs from 'node:fs';
import { strictModeErrors } from './strict-mode.js';
import path from 'node:path';
import { Project, ts } from 'ts-morph';
import type { Diagnostic } from '../src/ir/index.js';
import { diagnostic } from '../src/diagnostics/index.js';
import { rangeOf, relativeFile } from './source-range.js';

/** The loaded program the analysis runs on, plus what went wrong loading it. */
export interface LoadedProgram {
  readonly rootDir: string;
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /** The service's own source files: not declaration files, not under node_modules. */
  readonly sourceFiles: readonly ts.SourceFile[];
  readonly diagnostics: readonly Diagnostic[];
}

const defaultOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  allowJs: false,
  skipLibCheck: true,
  types: ['*'],
};

/**
 * Loads the project through ts-morph (its bundled TypeScript), from the tsconfig when
 * there is one, else from every .ts/.tsx file below the root. Real projects rarely
 * type-check cleanly under TypeScript 6, so the loader tolerates what it can: it
 * silences TS6 deprecations (`moduleResolution: node`, `baseUrl`), and when the tsconfig
 * does not name `types` it restores the TS5 behaviour of including every @types package.
 * Only syntax errors are errors here; the analysis asks the checker only what it needs.
 */
export function loadProgram(rootDir: string, tsconfig: string | null): LoadedProgram {
  const diagnostics: Diagnostic[] = [];
  const tsconfigPath = tsconfig !== null ? path.resolve(rootDir, tsconfig) : path.join(rootDir, 'tsconfig.json');
  const hasTsconfig = fs.existsSync(tsconfigPath);
  let project: Project;
  if (hasTsconfig) {
    const parsed = ts.getParsedCommandLineOfConfigFile(tsconfigPath, { ignoreDeprecations: '6.0' }, parseHost(diagnostics, rootDir));
    const overrides: ts.CompilerOptions = { ignoreDeprecations: '6.0', noEmit: true };
    if (parsed && parsed.options.types === undefined) overrides.types = ['*'];
    project = new Project({ tsConfigFilePath: tsconfigPath, compilerOptions: overrides });
  } else {
    project = new Project({ compilerOptions: defaultOptions });
    for (const file of listSourceFiles(rootDir)) project.addSourceFileAtPath(file);
  }
  const program = project.getProgram().compilerObject;
  const checker = program.getTypeChecker();
  for (const d of program.getOptionsDiagnostics()) diagnostics.push(tolerated(rootDir, d));
  const sourceFiles = program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && !sf.fileName.includes('/node_modules/'))
    .filter((sf) => !relativeFile(rootDir, sf.fileName).startsWith('../'))
    .sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
  for (const sf of sourceFiles) {
    for (const d of program.getSyntacticDiagnostics(sf)) {
      const start = d.start ?? 0;
      diagnostics.push(
        diagnostic('SL2001', rangeOf(rootDir, sf, start, start + (d.length ?? 0)), {
          detail: ts.flattenDiagnosticMessageText(d.messageText, ' '),
        }),
      );
    }
    diagnostics.push(...strictModeErrors(rootDir, sf));
  }
  return { rootDir, program, checker, sourceFiles, diagnostics };
}

function parseHost(diagnostics: Diagnostic[], rootDir: string): ts.ParseConfigFileHost {
  return {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => diagnostics.push(tolerated(rootDir, d)),
  };
}

function tolerated(rootDir: string, d: ts.Diagnostic): Diagnostic {
  const detail = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (d.file && d.start !== undefined) {
    return diagnostic('SL1019', rangeOf(rootDir, d.file, d.start, d.start + (d.length ?? 0)), { detail });
  }
  return diagnostic('SL1019', null, { detail });
}

function listSourceFiles(rootDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|tsx|mts|cts)$/.test(entry.name)) out.push(full);
    }
  };
  walk(rootDir);
  return out;
}
