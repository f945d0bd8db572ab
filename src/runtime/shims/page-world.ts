import type { StoplineConfig } from '../../config/index.js';
import { SimulatedPage, type PageElementSpec } from '../page/page.js';
import { createDocument } from './dom.js';
import type { ShimWorld } from './world.js';

/**
 * The client's page in the original program's world: `document` over a simulated page
 * (src/runtime/page/page.ts), when the program runs at the line's untrusted first stop
 * (the client: the only stop with a page). At any other stop there is no `document`, as
 * an edge or an origin has none.
 */
export function installPage(world: ShimWorld, config: StoplineConfig, stop: string, dom: readonly PageElementSpec[] | undefined): void {
  const first = config.line.stops[0];
  if (first === undefined || first.name !== stop || first.trusted !== false) return;
  world.globals.set('document', createDocument(new SimulatedPage(dom ?? [])));
}
