import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { buildComponent } from '../../codegen/component/index.js';
import type { BuildComponentInput, BuiltComponent } from '../../codegen/component/index.js';

/**
 * vitest globalSetup: builds the real components the codegen tests run, once per run and
 * cached by content hash across runs (componentize-js takes 7–27 s a component; a cached
 * build takes milliseconds), and hands them to the tests with `provide`/`inject`.
 * A throw here shows up as "No test files found": keep this file small.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const componentCacheDir = path.join(root, 'test/.tmp/component-cache');
export const tinyFixtureDir = path.join(root, 'test/cases/codegen/tiny');

/** The tiny world: exports `dispatch.invoke`, imports `link.call`, no WASI at all. */
export function tinyBuildInput(cacheDir: string = componentCacheDir, source: string = path.join(tinyFixtureDir, 'guest.js')): BuildComponentInput {
  return {
    source,
    witPath: path.join(tinyFixtureDir, 'wit'),
    worldName: 'tiny',
    cacheDir,
    disableFeatures: ['stdio', 'random', 'clocks', 'http', 'fetch-event'],
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    tinyComponent: BuiltComponent;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('tinyComponent', await buildComponent(tinyBuildInput()));
}
