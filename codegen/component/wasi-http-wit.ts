import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { locatePackage } from './packages.js';

/**
 * The `wasi:http` WIT a server stop's world exports `incoming-handler` from, derived at
 * build time from the installed jco's builtin WIT (never copied into the repository).
 *
 * StarlingMonkey in componentize-js 0.23 implements wasi:http **0.2.10**, while jco 1.35
 * ships the WIT of 0.2.12 (`lib/wit/builtin/0.2.12`, the only complete set it has): the
 * packages are taken from there with every `@0.2.12` rewritten to `@0.2.10`
 * (TOOLCHAIN.md, "WASI HTTP and KV"; the interfaces the engine uses are the same in both
 * patch releases). The packages wasi:http refers to, directly or through wasi:cli's worlds,
 * are taken (http, io, clocks, random, cli, filesystem, sockets); wasi-sockets'
 * `@unstable(feature = network-error-code)` gate lines are deleted (the gated items then
 * read as stable), since with them the splicer panics.
 */

export const WASI_HTTP_VERSION = '0.2.10';
const JCO_WIT_VERSION = '0.2.12';
/** The builtin packages wasi:http@0.2.12 refers to (its `types`, its `imports`/`proxy` worlds, and what wasi:cli's worlds include). */
const PACKAGES = ['wasi-http', 'wasi-io', 'wasi-clocks', 'wasi-random', 'wasi-cli', 'wasi-filesystem', 'wasi-sockets'] as const;
const SPLICER_PANICS = /^[ \t]*@unstable\(feature = network-error-code\)[ \t]*\r?\n/gm;

export const INCOMING_HANDLER = `wasi:http/incoming-handler@${WASI_HTTP_VERSION}`;
export const HTTP_TYPES = `wasi:http/types@${WASI_HTTP_VERSION}`;

const here = path.dirname(fileURLToPath(import.meta.url));

/** The installed jco's builtin WIT folder of wasi 0.2.12. */
function builtinDir(): string {
  const jco = locatePackage('@bytecodealliance/jco', here);
  const dir = path.join(jco.dir, 'lib', 'wit', 'builtin', JCO_WIT_VERSION);
  if (!fs.existsSync(path.join(dir, 'wasi-http', 'package.wit'))) throw new Error(`jco ${jco.version} has no builtin wasi:http WIT at ${dir}`);
  return dir;
}

let cached: ReadonlyMap<string, string> | null = null;

/** `deps/<package>/package.wit` → WIT text of the wasi packages wasi:http@0.2.10 needs. */
export function wasiHttpDeps(): ReadonlyMap<string, string> {
  if (cached) return cached;
  const dir = builtinDir();
  const out = new Map<string, string>();
  for (const name of PACKAGES) {
    const text = fs.readFileSync(path.join(dir, name, 'package.wit'), 'utf8');
    out.set(`deps/${name}/package.wit`, text.split(`@${JCO_WIT_VERSION}`).join(`@${WASI_HTTP_VERSION}`).replace(SPLICER_PANICS, ''));
  }
  cached = out;
  return out;
}
