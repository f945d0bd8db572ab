// Test guest for the `server` world, stop "edge": forwards to the origin through link.call.
import { call } from 'stopline:line/link@0.1.0';

export const dispatch = {
  invoke(segment, payload) {
    if (segment === 'ask') return call('origin', 'answer', payload);
    // The origin calls back into this stop while it is still inside its own link.call.
    if (segment === 'bounce') return call('origin', 'bounce', payload);
    if (segment === 'echo') return `edge:${payload}`;
    // A link error caught by the guest, returned as data.
    if (segment === 'ask-nowhere') {
      try {
        return call('nowhere', 'x', payload);
      } catch (e) {
        return JSON.stringify({ caught: e.payload });
      }
    }
    throw { code: 'unknown-segment', message: `edge has no segment ${segment}` };
  },
};
