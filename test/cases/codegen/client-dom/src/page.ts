function shout(text: string): string {
  return text.toUpperCase();
}

function keep(element: HTMLElement): HTMLElement {
  return element;
}

/** @stopline entry client */
export async function render(name: string): Promise<string> {
  const title = document.getElementById('title')?.textContent ?? '';
  const field = document.querySelector<HTMLInputElement>('#name');
  if (field === null) {
    return title;
  }
  const typed = field.value;
  const theme = localStorage.getItem('theme') ?? 'light';
  field.value = name;
  keep(field);
  field.focus();
  const draft = sessionStorage.getItem('draft');
  document.title = shout(name);
  const width = window.innerWidth;
  const note = (document.querySelector('#note') as HTMLElement).dataset;
  return `${title} ${typed} ${theme} ${width} ${String(note)} ${draft}`;
}
