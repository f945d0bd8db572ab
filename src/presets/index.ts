// Minimal placeholder created by the config engineer ONLY because this file did not exist yet;
// the presets engineer replaces it with the real registry.
import type { Preset } from './types.js';

export const presets: readonly Preset[] = [];

export function getPreset(name: string): Preset | undefined {
  return presets.find((p) => p.name === name);
}
