import type { LocalStore, WebStorage } from '../stores/index.js';

/**
 * The browser's `localStorage` for one simulated client: its area of an embedded local
 * store (src/runtime/stores/local.ts), which already has the Storage interface's shape
 * and WebIDL conversions. The loader binds it as a module-level `localStorage` in the
 * original program (see `loadOriginal`'s `globals`); property access
 * (`localStorage.theme = 'dark'`) and storage events are not emulated.
 */
export function createWebStorage(store: LocalStore, clientId: string): WebStorage {
  return store.forClient(clientId);
}
