// Rendered pages kept until their engagement's evidence changes, for the heavy pages auditors reload often.
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { engagementStamp } from '../../db/change-stamp.js';

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

  /** Taken before reading what a page of the engagement is rendered from, and kept with it. */
  stamp(engagementId: number): string {
    return engagementStamp(this.sqlite, engagementId);
  }

  /** The engagement's page as rendered for `key`, if nothing it is built from has changed since. */
  get(engagementId: number, key: string): Entry | undefined {
    const k = `${engagementId}/${key}`;
    const entry = this.entries.get(k);
    if (!entry) return undefined;
    this.entries.delete(k);
    if (entry.stamp !== this.stamp(engagementId)) return undefined;
    this.entries.set(k, entry);
    return entry;
  }

  /**
   * Keeps a page rendered from what the database held at `stamp` (or later: it is then only re-rendered sooner),
   * and gives it back encoded, so that a miss encodes its body once.
   */
  put(engagementId: number, key: string, stamp: string, page: CachedPage): Entry {
    const entry = { ...page, stamp, parts: encodedParts(page.body) };
    if (this.capacity === 0) return entry;
    this.entries.set(`${engagementId}/${key}`, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry;
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
