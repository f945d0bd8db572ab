export function ping(): string {
  return 'pong';
}
