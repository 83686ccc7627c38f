// What a refused save shows: who saved the record meanwhile and when (from the trail), and the values stored now.
import type { Tx } from '../../db/connection.js';
import { lastChangeOf, type ChangeKind } from '../audit/last-change.js';

export interface ConflictView {
  /** The record in the words of the page: "this control", "the test plan". */
  what: string;
  by: string | null;
  at: string | null;
  /** The stored values, each as the page shows it. */
  fields: { label: string; value: string }[];
}

export interface ConflictSource {
  engagementId: number;
  /** The record's id in the trail, and the entries that change it. */
  entityId: number | string;
  changes: ChangeKind[];
  what: string;
  fields: [label: string, value: string | null | undefined][];
}

export function conflictView(db: Tx, source: ConflictSource): ConflictView {
  const last = lastChangeOf(db, source.engagementId, source.entityId, source.changes);
  return {
    what: source.what,
    by: last?.by ?? null,
    at: last?.at ?? null,
    fields: source.fields.map(([label, value]) => ({
      label,
      value: value === null || value === undefined || value === '' ? '—' : value,
    })),
  };
}
