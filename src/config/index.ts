export type { StoplineConfig, StoreConfig, EntryConfig, PinConfig } from './types.js';
export { parseConfig, type ConfigResult, type ParseOptions } from './parse.js';
export { loadConfig, CONFIG_FILE_NAMES, type LoadOptions } from './load.js';
export { defaultConfig, defaultLine, storeDefaults, DEFAULT_ANALYSIS, type StoreDefaults } from './defaults.js';
export { renderStarterConfig, type StarterInput, type StarterStore, type StarterEntry, type StarterOptions } from './starter.js';
export {
  parseFunctionTarget, parseLocationTarget, parseRoute, parseBinding, ROUTE_METHODS, STOP_NAME,
} from './targets.js';
