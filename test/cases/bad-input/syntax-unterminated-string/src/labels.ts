export function label(name: string): string {
  const prefix = 'hello, ;
  return prefix + name;
}
