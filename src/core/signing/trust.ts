// The public keys whose signatures this instance accepts: its own, always, and those an administrator listed.
// Each change to the list is an audit-trail entry.
import { RuleError } from '../errors.js';
import { asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/connection.js';
import { trustedKeys } from '../../db/schema/index.js';
import { appendAudit } from '../audit/trail.js';
import type { InstanceKey } from './instance-key.js';
import type { PublicKeyInfo } from './keys.js';

export type TrustedKeyRow = typeof trustedKeys.$inferSelect;

export interface Signer {
  label: string;
  fingerprint: string;
  own: boolean;
}

export function trustedKeyList(db: Tx): TrustedKeyRow[] {
  return db.select().from(trustedKeys).orderBy(asc(trustedKeys.label), asc(trustedKeys.id)).all();
}

/** Who a fingerprint belongs to among the keys this instance trusts, or null. */
export function signerOf(db: Tx, own: InstanceKey, fingerprint: string): Signer | null {
  if (fingerprint === own.publicKey.fingerprint) return { label: 'this instance', fingerprint, own: true };
  const row = db.select().from(trustedKeys).where(eq(trustedKeys.fingerprint, fingerprint)).get();
  return row ? { label: row.label, fingerprint, own: false } : null;
}

export function addTrustedKey(
  db: Db,
  own: InstanceKey,
  actorId: number,
  label: string,
  key: PublicKeyInfo,
): TrustedKeyRow {
  if (key.fingerprint === own.publicKey.fingerprint)
    throw new RuleError('This is this instance’s own key: it is always trusted.', { field: 'publicKey' });
  return db.transaction((tx) => {
    const existing = tx.select().from(trustedKeys).where(eq(trustedKeys.fingerprint, key.fingerprint)).get();
    if (existing) throw new RuleError(`This key is already trusted, as “${existing.label}”.`, { field: 'publicKey' });
    const row = tx
      .insert(trustedKeys)
      .values({
        label,
        publicKey: key.der,
        fingerprint: key.fingerprint,
        addedBy: actorId,
        addedAt: new Date().toISOString(),
      })
      .returning()
      .get();
    appendAudit(tx, actorId, {
      engagementId: null,
      entity: 'trusted-key',
      entityId: row.id,
      action: 'create',
      changes: { label: [null, label], fingerprint: [null, key.fingerprint] },
    });
    return row;
  });
}

/** Null when the key was not (or no longer) listed. */
export function removeTrustedKey(db: Db, actorId: number, id: number): TrustedKeyRow | null {
  return db.transaction((tx) => {
    const row = tx.select().from(trustedKeys).where(eq(trustedKeys.id, id)).get();
    if (!row) return null;
    tx.delete(trustedKeys).where(eq(trustedKeys.id, id)).run();
    appendAudit(tx, actorId, {
      engagementId: null,
      entity: 'trusted-key',
      entityId: id,
      action: 'delete',
      changes: { label: [row.label, null], fingerprint: [row.fingerprint, null] },
    });
    return row;
  });
}
