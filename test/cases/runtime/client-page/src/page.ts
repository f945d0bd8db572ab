export interface PageReading {
  found: boolean;
  value: string | null | undefined;
  text: string | null;
  byId: string | null;
  visits: number;
}

/** @stopline entry client */
export async function readPage(selector: string, id: string): Promise<PageReading> {
  const field = document.querySelector<HTMLInputElement>(selector);
  const byId = document.getElementById(id)?.textContent ?? null;
  const visits = Number(localStorage.getItem('visits') ?? '0') + 1;
  localStorage.setItem('visits', String(visits));
  if (field === null) {
    return { found: false, value: null, text: null, byId, visits };
  }
  return { found: true, value: field.value, text: field.textContent, byId, visits };
}
