import type { DiagnosticCategory } from '../ir/index.js';

/**
 * The one catalog of stopline's diagnostics. Codes are stable and public: tests, CI
 * scripts and suppressions use them. Ranges:
 *   SL1xxx  configuration (stopline.yaml, tsconfig, CLI usage)
 *   SL2xxx  the project's source (syntax, resolution, entries, presets)
 *   SL3xxx  analysis facts (why a segment is constrained or a cut forbidden)
 *   SL4xxx  planning: SL40xx problems, SL41xx placement reasons
 *   SL5xxx  code generation and runtime   (reserved for codegen)
 * Templates use {name} placeholders filled from the arguments of `diagnostic()`.
 * Never reuse or renumber a code; retire it instead.
 */
export interface CatalogEntry {
  readonly category: DiagnosticCategory;
  readonly template: string;
}

export const catalog = {
  // --- configuration -----------------------------------------------------------
  SL1001: { category: 'error', template: 'stopline.yaml is not valid YAML: {detail}' },
  SL1002: { category: 'error', template: "Unknown key '{key}' in {where}{suggestion}" },
  SL1003: { category: 'error', template: 'Invalid value for {where}: {detail}' },
  SL1004: { category: 'error', template: "Unknown stop '{stop}'; the line has {stops}" },
  SL1005: { category: 'error', template: "Unknown preset '{preset}'{suggestion}" },
  SL1006: { category: 'error', template: "Stop '{stop}' appears twice on the line" },
  SL1007: { category: 'error', template: "Store '{store}' has its home at '{stop}', which is not on the line" },
  SL1008: { category: 'error', template: 'Missing required key {key} in {where}' },
  SL1009: { category: 'error', template: "Entry '{entry}' names a file that is not part of the project: {file}" },
  SL1010: { category: 'error', template: "Entry '{entry}' does not exist: {file} has no function or exported binding '{name}'" },
  SL1011: { category: 'error', template: "Pin target does not exist: {target}" },
  SL1012: { category: 'error', template: "Stores {stores} all use preset '{preset}'; give each a 'binding' so calls can be told apart" },
  SL1013: { category: 'error', template: "Binding '{binding}' of store '{store}' does not exist" },
  SL1014: { category: 'error', template: 'tsconfig not found: {file}' },
  SL1015: { category: 'error', template: 'Config file not found: {file}' },
  SL1016: { category: 'error', template: "Contradictory pins: {target} is pinned to '{first}' and to '{second}'" },
  SL1017: { category: 'error', template: "Store '{store}' lists replica '{stop}', which is not on the line" },
  SL1018: { category: 'error', template: "Preset '{preset}' does not describe a store; it cannot back store '{store}'" },
  SL1019: { category: 'warning', template: 'tsconfig problem tolerated: {detail}' },
  SL1020: { category: 'error', template: "'{path}' already exists; stopline init never overwrites a file" },
  SL1021: { category: 'error', template: 'Usage: {detail}' },
  SL1022: { category: 'error', template: 'Project directory not found: {dir}' },
  SL1023: { category: 'warning', template: "Both {used} and {ignored} exist; {ignored} is ignored" },
  SL1024: { category: 'error', template: 'Cannot read config file {file}: {detail}' },
  SL1025: { category: 'warning', template: "Store '{store}' uses preset '{preset}', which takes no urlPrefix (only preset fetch does); it is ignored" },
  // SL1040–SL1049: the runtime configuration (runtime.env: a deployment's process.env for the local runners)
  SL1040: { category: 'error', template: 'runtime.env: {detail}' },

  SL1050: { category: 'error', template: "Entry route '{route}' matches no route registration in the project" },
  SL1051: { category: 'warning', template: "Pin target {target} is in no entry's tree; the pin has no effect" },

  // --- the project's source ----------------------------------------------------
  SL2001: { category: 'error', template: 'Syntax error: {detail}' },
  SL2002: { category: 'warning', template: "Cannot resolve '{name}': the call may hide a store access ({detail})" },
  SL2003: { category: 'warning', template: "Types for '{module}' are missing; '{api}' was matched through the import chain" },
  SL2004: { category: 'warning', template: 'No entries found: add entries to stopline.yaml, a `@stopline entry <stop>` JSDoc tag, or an exported fetch handler / route' },
  SL2005: { category: 'error', template: "Two entries are named '{entry}'" },
  SL2006: { category: 'error', template: "Unknown stop '{stop}' in @stopline tag; the line has {stops}" },
  SL2007: { category: 'warning', template: "Malformed @stopline tag: {detail}" },
  SL2008: { category: 'warning', template: "Module '{module}' cannot be resolved" },
  SL2009: { category: 'info', template: "Store '{store}' detected from preset '{preset}' (no stopline.yaml store names it)" },
  SL2010: { category: 'warning', template: "Route handler for {route} is not a function the analyzer can follow" },
  SL2011: { category: 'warning', template: "Store '{store}' is configured but no access to it was found" },
  SL2012: { category: 'warning', template: "'{name}' runs the {kind} {accessor}, which may reach a store access or a placement fact; accessors are not followed, so none of it is counted here" },
  // SL2040–SL2049: the preset matcher (analyzer/match)
  SL2040: { category: 'warning', template: "Cannot tell which store '{api}' reaches: the receiver does not trace back to the binding of {stores} (preset '{preset}'); the call is not counted as an access" },

  // --- analysis facts ----------------------------------------------------------
  SL3001: { category: 'info', template: "'{variable}' ({type}) is not serialisable: {detail}; the segment stays with its parent" },
  SL3002: { category: 'info', template: "'{variable}' holds a session resource ({type}), bound to the stop that opened it; the segment stays with its parent" },
  SL3003: { category: 'info', template: "'{variable}' is mutated here and may be aliased; the segment stays with its parent" },
  SL3004: { category: 'info', template: "Uses module-level mutable state '{variable}'" },
  SL3005: { category: 'info', template: 'Reads a secret ({api}): never placed on an untrusted stop' },
  SL3006: { category: 'info', template: 'Uses a client-only API ({api}): only on the client' },
  SL3007: { category: 'info', template: 'Uses a server-only API ({api}): only at the origin' },
  SL3008: { category: 'info', template: "Recursive call to '{callee}' is one opaque segment" },
  SL3009: { category: 'info', template: "Call to '{callee}' is not inlined: {detail}; it is one opaque segment" },
  SL3010: { category: 'info', template: "Pinned to '{stop}' by stopline.yaml" },
  SL3011: { category: 'info', template: '{construct} defeats static analysis; the segment stays with its parent' },
  SL3012: { category: 'info', template: 'A generator {construct} crosses this boundary; the segment stays with its parent' },
  SL3013: { category: 'info', template: "Call through '{callee}' cannot be resolved to a known function; accesses behind it are unknown" },
  SL3014: { category: 'info', template: "'{variable}' is a function value captured across the cut; the segment stays with its parent" },
  SL3015: { category: 'info', template: "Decides or computes a write to the strong store '{store}' ({api}): never on an untrusted stop" },
  SL3016: { category: 'info', template: 'The value it {what} carries a secret: it never crosses to an untrusted stop' },
  SL3017: { category: 'error', template: "Entry '{entry}' arrives at the untrusted stop '{stop}', and its {what} carries a secret: the secret would reach that stop" },

  // --- planning ----------------------------------------------------------------
  SL4001: { category: 'error', template: "Entry '{entry}' cannot be placed: {detail}" },
  SL4002: { category: 'warning', template: "The profile names {what} '{id}', which is not in the graph; ignored" },
  SL4003: { category: 'error', template: 'The profile {file} is not valid: {detail}' },
  SL4004: { category: 'error', template: "The baseline {file} is not a stopline plan: {detail}" },
  SL4005: { category: 'error', template: "Entry '{entry}' cannot run whole at {stop}: {detail}" },
  // SL41xx: why a segment runs where it does (plan.json `reasons[].code`)
  SL4101: { category: 'info', template: "Cannot run at {stop}: {detail}" },
  SL4102: { category: 'info', template: "Decides a write to the strong store '{store}': never on an untrusted stop" },
  SL4103: { category: 'info', template: "Stays with its parent at {stop}: {detail}" },
  SL4110: { category: 'info', template: 'At {stop} it would cost {delta} ms more per request ({detail})' },
  SL4111: { category: 'info', template: 'At {stop} it would cost the same; ties stay towards the arrival stop' },
  SL4112: { category: 'info', template: 'Follows its parent: at {stop} it would cost more per request, mostly {part}' },
  // SL43xx: trust (planner/integrity.ts, planner/confidentiality.ts)
  SL4302: { category: 'info', template: "Holds '{variable}', which carries a secret: {detail}" },
  SL4301: { category: 'warning', template: "{source} flows into a write to the strong store '{store}' ({api}) without a check at a trusted stop" },
  // --- code generation and runtime ---------------------------------------------
  // SL5001: a value that cannot cross this cut yet — a request-scoped framework object
  //   other than Express's req/res and the web Request (a Hono Context, Headers, FormData,
  //   FetchEvent), an Express req/res the crossing segment reassigns, `this`; or a cut shape
  //   not supported (a cut inside a function inlined at a call site, a call cut whole with
  //   cuts of its own).
  SL5001: { category: 'error', template: 'Cannot split here yet: {detail}' },
  // SL5002: an entry forwarded whole whose handler codegen cannot reach at the other stop: a
  //   handler that is neither exported nor an Express route registered as
  //   `<router>.<method>('<path>', …functions)` (a Hono route's anonymous handler, say).
  SL5002: { category: 'error', template: "Entry '{entry}': forwarded whole, but its handler cannot be reached at the other stop (neither an exported function nor an Express route registration `router.method('/path', …handlers)`)" },
  SL5010: { category: 'error', template: "Entry '{entry}': a route entry is served by the project's Express application, and the sources must export exactly one `express()` value; found {found}" },
  // SL51xx: building components (stopline build) and running them (stopline run, measure)
  SL5101: { category: 'error', template: "Stop '{stop}' could not be built: {detail}" },
  SL5102: { category: 'error', template: 'The output folder {dir} exists and is not a stopline build (it has no stopline.manifest.json); it is left as it is' },
  SL5103: { category: 'error', template: '{file} is not a stopline build manifest: {detail}' },
  SL5104: { category: 'error', template: '{file} does not match the build manifest ({detail}); build again' },
  SL5105: { category: 'warning', template: 'The build in {dir} was made from other sources or another plan than the project has now; run stopline build' },
  SL5106: { category: 'error', template: "No entry '{entry}' in the build; it has {entries}" },
  SL5107: { category: 'error', template: 'The request is not valid: {detail}' },
  SL5108: { category: 'error', template: "The run failed at stop '{stop}': {detail}" },
  SL5109: { category: 'error', template: 'The seed {file} cannot be used: {detail}' },
  SL5110: { category: 'error', template: "The project's sources cannot be read for code generation: {detail}" },
  // SL54xx: serving a build over HTTP (stopline serve)
  SL5401: { category: 'error', template: 'The ports are not usable: {detail}' },
  SL5402: { category: 'error', template: 'Port {port} on 127.0.0.1 is in use (stop {stop})' },
  SL5403: { category: 'error', template: "Stop '{stop}' failed under jco serve: {detail}" },
  // SL52xx: configuration and secrets in components
  SL5201: { category: 'warning', template: "{read} is read when the module is evaluated; at stop '{stop}' that happens when its component is built, where it reads undefined whatever the deployment configures: read it inside a function" },
  // SL53xx: host descriptors next to each server stop's component (src/deploy): where a host cannot run it as generated
  SL5301: { category: 'warning', template: "{file} does not run on {host} as generated: {detail}" },
  // SL502x: client-only APIs inside the client component (codegen/outline/client-apis.ts)
  SL5020: { category: 'error', template: '{api} has no lowering inside the {stop} component: {detail}' },
  SL5021: { category: 'error', template: 'The element {call} returns is used as {use}: inside a component only its value and textContent can be read' },

  // SL42xx: stopline check (a plan against its baseline)
  SL4201: { category: 'error', template: "Entry '{entry}': {metric} got worse, {before} → {after}" },
  SL4202: { category: 'error', template: "Segment moved from {before} to {after}: {label}" },
  SL4203: { category: 'error', template: "Entry '{entry}' is new since the baseline" },
  SL4204: { category: 'error', template: "Entry '{entry}' is in the baseline but no longer in the plan" },
  SL4205: { category: 'error', template: "Entry '{entry}' can no longer be placed; the baseline planned it" },
  SL4206: { category: 'info', template: "Entry '{entry}': {metric} improved, {before} → {after}" },
  SL4207: { category: 'info', template: "Segment is new since the baseline, at {stop}: {label}" },
  SL4208: { category: 'info', template: "Segment of the baseline is no longer in the plan (it was at {stop}): {label}" },
  SL4209: { category: 'error', template: 'No segment covers {target}' },
  SL4210: { category: 'error', template: "No segment has the id '{id}'" },
  SL4211: { category: 'error', template: 'Cannot write {file}: {detail}' },
} as const satisfies Record<string, CatalogEntry>;

export type DiagnosticCode = keyof typeof catalog;
