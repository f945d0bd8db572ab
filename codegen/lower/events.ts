// The guest's EventEmitter lives with the call shapes it is shared with (src/presets/calls/events.ts).
export { MiniEmitter } from '../../src/presets/calls/events.js';
