const API = 'https://api.example.com';

export async function handlers(id: string, body: string, method: string) {
  await fetch('https://api.example.com/carts/' + id);
  await fetch(`https://api.example.com/carts/${id}`, { method: 'GET' });
  await fetch(`${API}/carts/${id}`, { method: 'POST', body });
  await fetch('https://api.example.com/carts', { method: 'head' });
  await fetch('https://api.example.com/carts', { method });
  await fetch('https://api.example.com/payments/charge', { method: 'PUT', body });
  await globalThis.fetch('https://api.example.com/ping');
}
