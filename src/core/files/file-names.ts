// File names as people sent them are shown to others: they must not carry paths, markup-breaking characters
// or invisible ones. A right-to-left override (U+202E) turns "invoice‮fdp.exe" into "invoiceexe.pdf" on screen.

/** Format characters (Unicode Cf): bidirectional embeddings, overrides, isolates and marks, zero-width spaces
 * and joiners, the byte-order mark, soft hyphens, tags. None is visible; all can change what a name looks like. */
const INVISIBLE = /\p{Cf}/gu;
/** Control characters, line and paragraph separators, and what a file system or a header would misread. */
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}"<>|:*?]/gu;

/** The name as it may be shown: the invisible characters taken out. Old rows stored before this are shown so too. */
export function shownFileName(name: string): string {
  return name.replace(INVISIBLE, '');
}

/** A name safe to store, show and put in a download header: no paths, no control or invisible characters. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // At most 200 code points, cut between characters rather than inside a surrogate pair.
  const cleaned = Array.from(shownFileName(base).replace(UNSAFE, '_').trim()).slice(0, 200).join('').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'upload' : cleaned;
}
