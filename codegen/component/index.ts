export { buildComponent, hashComponentInput, COMPONENT_FEATURES } from './build.js';
export type { BuildComponentInput, BuiltComponent, ComponentFeature } from './build.js';
export { transpileComponent } from './transpile.js';
export type { TranspileOptions, TranspiledComponent } from './transpile.js';
export { ComponentBuildError } from './errors.js';
export type { ComponentBuildErrorKind } from './errors.js';
export { stopWorld, witDir, witIdentifier, writeStopWorld, type StopWorld } from './world.js';
export { componentInterfaces, type ComponentInterfaces } from './interfaces.js';
