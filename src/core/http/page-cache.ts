// Rendered pages kept until the database changes, for the heavy pages auditors reload often.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { changeStamp } from '../../db/change-stamp.js';

/**
 * Stands in for the CSRF token while a page is rendered for the cache, and is replaced by the reader's own
 * token on the way out. Letters and digits only, so escaping for HTML or a URL leaves it as it is.
 */
export const CSRF_HOLE = `csrfhole${randomBytes(12).toString('hex')}`;
/** Tokens from @fastify/csrf are base64url; anything else would need escaping and is not filled in. */
const FILLABLE_TOKEN = /^[A-Za-z0-9_-]+$/;

export interface CachedPage {
  title: string;
  body: string;
}

interface Entry extends CachedPage {
  stamp: string;
  /** The body encoded once, split at the CSRF holes, to be sent around a reader's token. */
  parts: Buffer[];
}

export class PageCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly sqlite: Database.Database,
    private readonly capacity = 100,
  ) {}

  /** Taken before reading what a page is rendered from, and kept with it. */
  stamp(): string {
    return changeStamp(this.sqlite);
  }

  /** The page as rendered for `key`, if nothing in the database has changed since. */
  get(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.stamp !== changeStamp(this.sqlite)) return undefined;
    this.entries.set(key, entry);
    return entry;
  }

  /** Keeps a page rendered from what the database held at `stamp` (or later: it is then only re-rendered sooner). */
  put(key: string, stamp: string, page: CachedPage): void {
    if (this.capacity === 0) return;
    this.entries.set(key, { ...page, stamp, parts: encodedParts(page.body) });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
}

const encodedParts = (body: string) => body.split(CSRF_HOLE).map((part) => Buffer.from(part));

/**
 * A kept body, as the chunks to send, with the reader's CSRF token in place of the holes; undefined if the
 * token cannot be filled in. Chunks rather than one string: the page is not copied or encoded again.
 */
export function fillCsrf(page: CachedPage & { parts?: Buffer[] }, token: string): Buffer[] | undefined {
  if (!FILLABLE_TOKEN.test(token)) return undefined;
  const parts = page.parts ?? encodedParts(page.body);
  const filler = Buffer.from(token);
  return parts.flatMap((part, i) => (i === 0 ? [part] : [filler, part]));
}
