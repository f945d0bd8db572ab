export function area(shape) {
  with (Math) {
    return PI * pow(shape.r, 2);
  }
}
