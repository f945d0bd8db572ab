// The guest of the tiny component: every answer goes through the host's link.call.
import { call } from 'stopline:tiny/link';

export const dispatch = {
  invoke(segment, payload) {
    const answer = call('origin', JSON.stringify({ segment, payload }));
    return `edge<${answer}>`;
  },
};
