export { bundleStop, bundleOptionsFor, BundleError, WIT_IMPORTS, type BundleOptions, type StopBundle, type StopWorld } from './bundle.js';
export { storeLowerings } from './lowerings/registry.js';
export type { HandleBinding, LoweringContext, LoweringParts, StoreLowering } from './lowerings/types.js';
