import { ts } from 'ts-morph';
import type { SymbolPattern } from '../../src/presets/types.js';
import { fromMatches, globMatcher, moduleMatches, ownerMatches } from './glob.js';

/**
 * Where a declaration lives, in the terms of `SymbolPattern`.
 * module  string: the module (`pg`, `fs/promises`, `fastly:kv-store`); null: global;
 *         undefined: one of the project's own modules (never matches a preset).
 * owner   dotted containers, outside in ('' when none).
 * source  the npm package of the declaring file or its TypeScript lib file name; null for project files.
 */
export interface DeclInfo {
  readonly module: string | null | undefined;
  readonly owner: string;
  readonly source: string | null;
}

/** The npm package a file belongs to, from its path: `node_modules/@types/scope__name/…` → `@scope/name`. */
export function packageOfPath(fileName: string): string | null {
  const marker = '/node_modules/';
  const at = fileName.replace(/\\/g, '/').lastIndexOf(marker);
  if (at < 0) return null;
  const parts = fileName.slice(at + marker.length).split(/[\\/]/);
  const first = parts[0] ?? '';
  if (first === '@types') {
    const name = parts[1] ?? '';
    const scoped = name.indexOf('__');
    return scoped > 0 ? `@${name.slice(0, scoped)}/${name.slice(scoped + 2)}` : name;
  }
  if (first.startsWith('@')) return `${first}/${parts[1] ?? ''}`;
  return first;
}

const libFile = /[\\/]typescript[\\/]lib[\\/](lib\.[^\\/]*\.d\.ts)$/;

export class DeclarationInfo {
  private readonly infos = new WeakMap<ts.Node, DeclInfo>();
  private readonly sources = new WeakMap<ts.SourceFile, string | null>();

  constructor(private readonly program: ts.Program) {}

  /** `lib.dom.d.ts` for TypeScript's lib files, the package for node_modules files, else null. */
  sourceOf(sf: ts.SourceFile): string | null {
    let source = this.sources.get(sf);
    if (source !== undefined) return source;
    const lib = libFile.exec(sf.fileName);
    if (lib?.[1]) source = lib[1];
    else if (this.program.isSourceFileDefaultLibrary(sf)) source = sf.fileName.slice(sf.fileName.lastIndexOf('/') + 1);
    else source = packageOfPath(sf.fileName);
    this.sources.set(sf, source);
    return source;
  }

  isLibraryFile(sf: ts.SourceFile): boolean {
    return this.sourceOf(sf) !== null;
  }

  of(decl: ts.Node): DeclInfo {
    let info = this.infos.get(decl);
    if (!info) {
      info = this.compute(decl);
      this.infos.set(decl, info);
    }
    return info;
  }

  private compute(decl: ts.Node): DeclInfo {
    const owners: string[] = [];
    let module: string | null | undefined;
    let decided = false;
    for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
      if (ts.isModuleDeclaration(n)) {
        if ((n.flags & ts.NodeFlags.GlobalAugmentation) !== 0) {
          module = null;
          decided = true;
          break;
        }
        if (ts.isStringLiteral(n.name)) {
          module = n.name.text.startsWith('node:') ? n.name.text.slice(5) : n.name.text;
          decided = true;
          break;
        }
        owners.push(n.name.text);
        continue;
      }
      if (ts.isSourceFile(n)) break;
      const name = containerName(n);
      if (name !== null) owners.push(name);
    }
    const sf = decl.getSourceFile();
    const source = this.sourceOf(sf);
    if (!decided) {
      if (!ts.isExternalModule(sf)) module = null;
      else module = source !== null && !libFile.test(sf.fileName) ? source : undefined;
    }
    return { module, owner: owners.reverse().join('.'), source };
  }
}

function containerName(n: ts.Node): string | null {
  if (
    ts.isClassDeclaration(n) || ts.isClassExpression(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) ||
    ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isMethodSignature(n) || ts.isPropertySignature(n) ||
    ts.isPropertyDeclaration(n) || ts.isVariableDeclaration(n) || ts.isEnumDeclaration(n)
  ) {
    const name = n.name;
    if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name))) return name.text;
  }
  return null;
}

/**
 * Whether a declaration with this info and name fits a pattern. `receiverNames` lists
 * the receiver's type names (call rules only); it is consulted only when the
 * declaration's own owner does not fit.
 */
export function patternMatches(
  pattern: SymbolPattern,
  info: DeclInfo,
  name: string,
  receiverNames: (() => readonly string[]) | null,
): boolean {
  if (!globMatcher(pattern.name)(name)) return false;
  if (pattern.module === null) {
    if (info.module !== null) return false;
  } else if (typeof info.module !== 'string' || !moduleMatches(pattern.module, info.module)) {
    return false;
  }
  if (pattern.from !== undefined && !fromMatches(pattern.from, info.source)) return false;
  if (pattern.owner === null) return info.owner === '';
  if (ownerMatches(pattern.owner, info.owner)) return true;
  if (receiverNames) return receiverNames().some((n) => ownerMatches(pattern.owner ?? '', n));
  return false;
}
