import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transpileComponent } from '../../codegen/component/index.js';
import type { LinkMode } from '../runtime/browser/host.js';

/**
 * The client stop's component for browsers: one folder a page loads with
 *
 *   const { loadClient } = await import('./client/stopline-client.js');
 *   const client = await loadClient({ linkUrl: '/stopline/link' });
 *   const prepared = await client.call('prepareUpload', [bytes, name]);
 *
 * Written into `outDir`:
 *   client.js, client.core*.wasm, client.d.ts, interfaces/   jco transpile in instantiation
 *       mode: the component as an ES module plus its core modules (fetched next to it)
 *   stopline-client.js   one ES module bundled by rolldown for the browser: `loadClient`
 *       (the browser host of src/runtime/browser/host.ts: client-local on the page's web
 *       storage, client-dom on its document, the link over HTTP, preview2-shim's browser
 *       WASI) and the wire format's `encode`/`decode` (for a page that hands values on as
 *       text). Its only import is `./client.js`.
 *
 * `mode` is how the guest's synchronous `link.call` is carried (host.ts): `sync`, a
 * synchronous XMLHttpRequest (the default), or `jspi`, jco's JSPI transpilation with an
 * async `fetch` (`link.call` suspending, `dispatch.invoke` promising).
 */

export interface EmitBrowserClientInput {
  /** The client stop's component (from buildStops). */
  readonly wasmPath: string;
  readonly outDir: string;
  readonly mode?: LinkMode;
}

export interface BrowserClientFiles {
  /** `<outDir>/stopline-client.js` */
  readonly module: string;
  /** every file written, sorted */
  readonly files: readonly string[];
  readonly mode: LinkMode;
}

const NAME = 'client';
const here = path.dirname(fileURLToPath(import.meta.url));

/** A module of the package by its path from the root without extension: `.ts` in the sources, `.js` once built (lib/). */
function packageModule(rel: string): string {
  for (const candidate of [path.resolve(here, '../..', `${rel}.ts`), path.resolve(here, '../..', `${rel}.js`)]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${rel} is missing next to ${here}`);
}

export async function emitBrowserClient(input: EmitBrowserClientInput): Promise<BrowserClientFiles> {
  const mode = input.mode ?? 'sync';
  const outDir = path.resolve(input.outDir);
  await fsp.mkdir(outDir, { recursive: true });
  const transpiled = await transpileComponent(input.wasmPath, outDir, {
    name: NAME,
    instantiation: 'async',
    ...(mode === 'jspi' ? { jspi: { imports: ['stopline:line/link@0.1.0#call'], exports: ['stopline:line/dispatch@0.1.0#invoke'] } } : {}),
  });

  const ENTRY = '\0stopline-browser-client';
  const js = JSON.stringify;
  const entry = [
    `import { instantiate } from './${NAME}.js';`,
    `import { createBrowserClient } from ${js(packageModule('src/runtime/browser/host'))};`,
    `export { encode, decode } from ${js(packageModule('codegen/wire/index'))};`,
    `export function loadClient(options) { return createBrowserClient(instantiate, new URL('./', import.meta.url).href, ${js(mode)}, options); }`,
  ].join('\n');
  const { rolldown } = await import('rolldown');
  const build = await rolldown({
    input: ENTRY,
    platform: 'browser',
    treeshake: true,
    logLevel: 'silent',
    resolve: { extensionAlias: { '.js': ['.ts', '.js'] }, conditionNames: ['browser', 'import', 'default'] },
    plugins: [
      {
        name: 'stopline-browser-client',
        resolveId(source) {
          if (source === ENTRY) return source;
          if (source === `./${NAME}.js`) return { id: source, external: true };
          return null;
        },
        load(id) {
          return id === ENTRY ? { code: entry, moduleType: 'js' } : null;
        },
      },
    ],
  });
  const module = path.join(outDir, 'stopline-client.js');
  try {
    const { output } = await build.generate({ format: 'esm' });
    const chunk = output.find((o) => o.type === 'chunk' && o.isEntry);
    if (chunk === undefined || chunk.type !== 'chunk' || output.length !== 1) throw new Error(`rolldown made ${output.length} outputs for the browser client, expected one module`);
    await fsp.writeFile(module, chunk.code);
  } finally {
    await build.close();
  }
  return { module, files: [...transpiled.files, module].sort(), mode };
}
