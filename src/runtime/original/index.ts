/**
 * The original program: the project's TypeScript as written, transpiled and run in Node
 * with its libraries replaced by shims over the embedded stores. One side of the
 * differential tests (the split program on the local line is the other).
 *
 *   transpile.ts  sources → ES modules with rewritten imports
 *   load.ts       loadOriginal: a fresh instance of the program per call
 *   stores.ts     the config's stores opened, seeded and dumped as JSON
 *   run.ts        runOriginal: one request → response or error, and the stores after it
 *   corpus.ts     request corpus files
 *   entry-target.ts  where an entry's handler is (config `function:`, or found in code)
 *   call-case.ts  call-style cases: arguments and the client's page in JSON
 *   runtime-config.ts  runtime.env: the deployment's process.env for both runners
 */
export { loadOriginal, readProjectConfig, type LoadOriginalOptions, type OriginalEntry, type OriginalProgram } from './load.js';
export { jsonOf, ORIGINAL_CLOCK_START, runOriginal, type OriginalError, type OriginalRequest, type OriginalResult, type RunOriginalOptions } from './run.js';
export { dumpStores, openConfiguredStores, seedStores, storeValueJson, type JsonValue, type OpenedStores, type OpenStoresOptions, type SqlTableJson, type StoresDump } from './stores.js';
export { caseSeedFile, loadRequestCorpus, type RequestCase } from './corpus.js';
export { entryArrival, resolveEntry, type EntryTarget } from './entry-target.js';
export { caseInput, decodeCallArg, decodeCallArgs, type CaseInput } from './call-case.js';
export { OriginalLoadError, readProjectSources, transpileProject, type ProjectSources, type TranspiledFile, type TranspileOptions } from './transpile.js';
export { loadRuntimeConfig, parseRuntimeConfig, RUNTIME_CONFIG_FILE, RuntimeConfigError } from './runtime-config.js';
