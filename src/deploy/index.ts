import fs from 'node:fs';
import path from 'node:path';
import type { Manifest } from '../build/manifest.js';
import type { Diagnostic } from '../ir/index.js';
import { descriptorDiagnostics, type Descriptor } from './descriptor.js';
import { fastlyToml } from './fastly.js';
import { stopNeeds } from './needs.js';
import { spinToml } from './spin.js';
import { wadmYaml } from './wadm.js';

export { stopHostFacts, configKeyAt, type StopHostFacts } from './stop-facts.js';
export { stopNeeds, type StopNeeds, type Route, type ConfigKey } from './needs.js';
export { HOSTS, hostProblems, type HostSupport, type HostProblem } from './hosts.js';
export { spinToml, spinRoutes } from './spin.js';
export { wadmYaml } from './wadm.js';
export { fastlyToml } from './fastly.js';
export type { Descriptor } from './descriptor.js';

/**
 * Host descriptors for every server stop of a build: `spin.toml`, `wadm.yaml` and
 * `fastly.toml` (one per host) from the manifest alone. Pure: nothing is written.
 */
export function deployDescriptors(manifest: Manifest): Descriptor[] {
  return stopNeeds(manifest).flatMap((needs) => [spinToml(manifest, needs), wadmYaml(manifest, needs), fastlyToml(manifest, needs)]);
}

/**
 * Writes each descriptor into `<distDir>/<stop>/` and returns the manifest with every stop's
 * `host.descriptors` listed, and the build's warnings (each at its descriptor's comment line;
 * `reportDir` is the dist folder the files end up in, when they are written elsewhere first).
 */
export function writeDeployDescriptors(manifest: Manifest, distDir: string, reportDir: string = distDir): { manifest: Manifest; diagnostics: Diagnostic[] } {
  const descriptors = deployDescriptors(manifest);
  for (const d of descriptors) fs.writeFileSync(path.join(distDir, d.stop, d.file), d.text);
  const stops = manifest.stops.map((s) => {
    const files = descriptors.filter((d) => d.stop === s.stop).map((d) => `${s.stop}/${d.file}`);
    return s.host === undefined || files.length === 0 ? s : { ...s, host: { ...s.host, descriptors: files } };
  });
  return { manifest: { ...manifest, stops }, diagnostics: descriptors.flatMap((d) => descriptorDiagnostics(d, reportDir)) };
}
