import { shout } from 'src/util';

/** @stopline entry edge */
export function handler(text: string): string {
  return shout(text);
}
