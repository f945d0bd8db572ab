export function page(title: string): string {
  const node = <h1>{title}</h1>;
  return String(node);
}
