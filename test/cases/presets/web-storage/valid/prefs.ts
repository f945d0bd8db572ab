export function prefs(): string | null {
  const theme = localStorage.getItem('theme');
  localStorage.setItem('theme', 'dark');
  sessionStorage.removeItem('draft');
  localStorage.key(0);
  sessionStorage.clear();
  window.localStorage.getItem('lang');
  return theme;
}
