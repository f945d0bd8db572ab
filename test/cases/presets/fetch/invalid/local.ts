export function fetchLocal(url: string): string {
  return url;
}

function fetch(url: string): string {
  return url;
}

fetch('https://api.example.com/carts');
