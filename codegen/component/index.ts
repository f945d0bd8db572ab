export { buildComponent, hashComponentInput, COMPONENT_FEATURES } from './build.js';
export type { BuildComponentInput, BuiltComponent, ComponentFeature } from './build.js';
export { transpileComponent } from './transpile.js';
export type { TranspileOptions, TranspiledComponent } from './transpile.js';
export { ComponentBuildError } from './errors.js';
export type { ComponentBuildErrorKind } from './errors.js';
export { stopWorld, witDir, witIdentifier, writeStopWorld, type StopWorld, type StopWorldOptions } from './world.js';
export { HTTP_TYPES, INCOMING_HANDLER, WASI_HTTP_VERSION, wasiHttpDeps } from './wasi-http-wit.js';
export { componentInterfaces, type ComponentInterfaces } from './interfaces.js';
