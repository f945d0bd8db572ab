/**
 * Whether the component is running a request yet.
 *
 * componentize-js evaluates the bundled module's top level at BUILD time, inside wizer,
 * and snapshots the heap into the component. Wizer defines every import as a trap then:
 * a WIT import called during that evaluation aborts the build ("attempted to call an
 * unknown imported function … You cannot call arbitrary imported functions during Wizer
 * initialization"; checked with componentize-js 0.23 — the trap is not a JavaScript
 * exception, `try`/`catch` in the guest does not see it). So guest code that would call an
 * import on behalf of module-level code (`process.env.X` at a module's top level) asks
 * `atRuntime()` first. Nothing runs in a component after initialisation except through
 * an export, and the bundle's entry calls `enterRuntime()` at the start of every export
 * (`dispatch.invoke`): a fresh instance starts from the snapshot with the flag false and
 * sets it on its first call.
 *
 * Plain JavaScript, no imports: one module instance per bundle (rolldown dedupes it).
 */
let running = false;

/** Called by the bundle's exports before anything else. */
export function enterRuntime(): void {
  running = true;
}

/** False while the module is evaluated at build time (imports must not be called). */
export function atRuntime(): boolean {
  return running;
}
