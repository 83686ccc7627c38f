/** A positive id from the URL, or NaN for anything else ("01", "1e3", "-1"), which no row matches. */
export function idParam(raw: string | undefined): number {
  return raw && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : NaN;
}
