import { fetchLocal } from './local.js';

export async function lookalikes(url: string, base: string) {
  await fetch('https://other.example.org/carts');
  await fetch(url);
  await fetch(`${base}/carts`);
  await fetch(new Request('https://api.example.com/carts'));
  fetchLocal('https://api.example.com/carts');
}
