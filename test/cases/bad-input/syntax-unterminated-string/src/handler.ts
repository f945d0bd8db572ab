import { label } from './labels.js';

export function greet(name: string): string {
  return label(name);
}
