// The names an archive gives its files for a person to read: made of safe characters only (whatever a client
// called a file or a control), unique within their folder, and the same for the same engagement every time.

/** Characters a readable name keeps; anything else becomes a hyphen. */
const UNSAFE = /[^A-Za-z0-9 _.()+,#@&=-]+/g;
const SEGMENT_CHARS = 100;

/** One path segment: no slash, no dot or space at either end (so never "." or ".."), at most 100 characters. */
export function safeSegment(raw: string, fallback = 'file'): string {
  const plain = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(UNSAFE, '-')
    .replace(/\s+/g, ' ');
  const trimmed = plain.replace(/^[\s.-]+|[\s.]+$/g, '');
  if (!trimmed) return fallback;
  if (trimmed.length <= SEGMENT_CHARS) return trimmed;
  const dot = trimmed.lastIndexOf('.');
  const ext = dot > 0 && trimmed.length - dot <= 10 ? trimmed.slice(dot) : '';
  return `${trimmed.slice(0, SEGMENT_CHARS - ext.length).replace(/[\s.]+$/, '')}${ext}`;
}

/** Hands out names: a name already given gets " (2)", " (3)"… before its extension. Case-insensitive, as
 * Windows and macOS compare names. */
export class NameRegistry {
  private readonly taken = new Set<string>();

  claim(folder: string, fileName: string): string {
    const dot = fileName.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ''];
    for (let n = 1; ; n++) {
      const name = `${folder}/${n === 1 ? fileName : `${stem} (${n})${ext}`}`;
      if (!this.taken.has(name.toLowerCase())) {
        this.taken.add(name.toLowerCase());
        return name;
      }
    }
  }
}

const SEGMENT = '[A-Za-z0-9_()+,#@&=][A-Za-z0-9 _.()+,#@&=-]{0,119}';
/** What safeSegment and NameRegistry can produce under each readable folder (checked on import). */
export const READABLE_NAME = new RegExp(`^(evidence|populations|assertion|workpapers|reports)(/${SEGMENT}){1,3}$`);
