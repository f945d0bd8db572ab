export { bundleStop, bundleOptionsFor, BundleError, WIT_IMPORTS, type BundleOptions, type LoweredStore, type StopBundle, type StopWorld } from './bundle.js';
