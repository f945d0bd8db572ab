export function render(items: string[]): void {
  const list = document.querySelector('#list');
  document.title = `Cart (${items.length})`;
  window.scrollTo(0, 0);
  alert('saved');
  requestAnimationFrame(() => undefined);
  const el = document.createElement('li');
  el.textContent = items[0] ?? '';
  el.classList.add('active');
  list?.appendChild(el);
  history.pushState({}, '', '/cart');
  console.log(location.href, navigator.language);
}
