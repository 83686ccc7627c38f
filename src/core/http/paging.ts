// Long lists shown a page at a time: the page a request asks for, kept within the pages there are.

export interface Page {
  /** 1-based. */
  number: number;
  size: number;
  /** Pages in all (at least 1, even for an empty list). */
  count: number;
  total: number;
  offset: number;
}

/** `?page=` as given when it is a page of the list; the first page for anything else (or nothing). */
export function pageOf(raw: unknown, total: number, size: number): Page {
  const count = Math.max(1, Math.ceil(total / size));
  const text = Array.isArray(raw) ? raw[0] : raw;
  const asked = typeof text === 'string' && /^[1-9]\d{0,6}$/.test(text) ? Number(text) : 1;
  const number = Math.min(asked, count);
  return { number, size, count, total, offset: (number - 1) * size };
}

/** The page holding the list's item at `index` (0-based). */
export function pageHolding(index: number, total: number, size: number): Page {
  return pageOf(String(Math.floor(Math.max(0, index) / size) + 1), total, size);
}
