export function area(shape: { r: number }): number {
  with (Math) {
    return PI * pow(shape.r, 2);
  }
}
