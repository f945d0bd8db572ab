// The host side of stopline:tiny/link, mapped in at transpile time.
export const calls = [];

export function call(stop, payload) {
  calls.push({ stop, payload });
  const { segment, payload: inner } = JSON.parse(payload);
  return `${stop}:${segment}:${inner.toUpperCase()}`;
}
