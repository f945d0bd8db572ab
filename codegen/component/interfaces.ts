import { ComponentBuildError } from './errors.js';

/**
 * What a built component really imports and exports, read from the component itself (jco's
 * `componentWit`): the world's interfaces, including the WASI ones the JavaScript engine
 * adds (clocks, io, cli…), which the stop's own world does not name. This is what a host
 * must provide.
 */
export interface ComponentInterfaces {
  readonly imports: readonly string[];
  readonly exports: readonly string[];
}

export async function componentInterfaces(component: Uint8Array): Promise<ComponentInterfaces> {
  const jco = await import('@bytecodealliance/jco');
  let wit: string;
  try {
    wit = await jco.componentWit(component);
  } catch (error) {
    throw new ComponentBuildError('transpile-failed', `jco cannot read the component's world: ${(error as Error).message}`);
  }
  const imports = new Set<string>();
  const exports = new Set<string>();
  for (const line of wit.split('\n')) {
    const m = /^\s*(import|export)\s+([a-z][a-z0-9-]*:[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*(?:@[0-9A-Za-z.+-]+)?)\s*;\s*$/.exec(line);
    if (m) (m[1] === 'import' ? imports : exports).add(m[2]!);
  }
  const sorted = (s: Set<string>): string[] => [...s].sort();
  return { imports: sorted(imports), exports: sorted(exports) };
}
