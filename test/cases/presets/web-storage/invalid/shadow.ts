const localStorage = {
  getItem: (key: string): string | null => key,
  setItem: (key: string, value: string): void => void [key, value],
};

export function prefs(store: Map<string, string>) {
  localStorage.getItem('theme');
  localStorage.setItem('theme', 'dark');
  store.get('theme');
  store.set('theme', 'dark');
}
