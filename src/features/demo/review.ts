// Demo review: fresh and stale sign-offs, a cleared review note and one still open on CC1.4-01 (the note the
// partner clears before approving the qualified opinion that CC7.1-01's failure proposes).
import { and, eq } from 'drizzle-orm';
import type { Connection } from '../../db/connection.js';
import { controls, engagements, testedItems, users, workpapers, type EngagementRole } from '../../db/schema/index.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { clearNote, raiseNote, respondToNote, signOff } from '../review/index.js';
import { saveItemNotes, workpaperScope } from '../testing/index.js';
import { itemsOfSample } from '../sampling/index.js';

function person(conn: Connection, email: string): CurrentUser {
  const u = conn.db.select().from(users).where(eq(users.email, email)).get()!;
  return { id: u.id, email: u.email, name: u.name, firmRole: u.firmRole, mustChangePassword: false };
}

export function seedDemoReview(conn: Connection, engagementId: number): void {
  const { db } = conn;
  const engagement = db.select().from(engagements).where(eq(engagements.id, engagementId)).get()!;
  const senior = person(conn, 'senior@demo.tickmark.test');
  const manager = person(conn, 'manager@demo.tickmark.test');
  const staff = person(conn, 'staff@demo.tickmark.test');
  const paperOf = (reference: string) => {
    const control = db
      .select()
      .from(controls)
      .where(and(eq(controls.engagementId, engagementId), eq(controls.reference, reference)))
      .get();
    return control && db.select().from(workpapers).where(eq(workpapers.controlId, control.id)).get();
  };
  const review = (reference: string, who: CurrentUser, role: EngagementRole) => {
    const wp = paperOf(reference);
    if (wp?.preparedAt) signOff(db, who, role, wp, 'reviewed', false);
  };

  for (const reference of ['CC8.1-01', 'CC6.3-01', 'A1.2-01']) review(reference, senior, 'senior');

  // Reviewed, then the preparer corrected an evidence reference: the review sign-off is now stale.
  review('CC7.2-01', senior, 'senior');
  const daily = paperOf('CC7.2-01');
  const scope = daily && workpaperScope(db, engagement, daily.controlId);
  const first = daily?.sampleId ? itemsOfSample(db, daily.sampleId)[0] : undefined;
  if (scope && first) {
    const current = db.select().from(testedItems).where(eq(testedItems.sampleItemId, first.sampleItemId)).get();
    saveItemNotes(db, staff, scope, first.sampleItemId, {
      evidenceRef: 'PD-INC-20250107 (corrected)',
      tickmarks: current?.tickmarks ?? [],
      notes: current?.notes ?? '',
      version: current?.version ?? 0,
    });
  }

  const failed = paperOf('CC7.1-01');
  if (failed) {
    const noteId = raiseNote(db, senior, 'senior', failed, {
      body: 'Was the missed August scan compensated by the weekly agent-based scan? Document management’s answer.',
      sampleItemId: null,
      attribute: null,
    });
    respondToNote(
      db,
      staff,
      engagementId,
      noteId,
      'Management confirmed the agent-based scan covers hosts only, not the external perimeter; no compensating control. Response recorded on the exception.',
    );
    clearNote(db, senior, 'senior', engagementId, noteId);
    review('CC7.1-01', senior, 'senior');
  }

  const hires = paperOf('CC1.4-01');
  if (hires) {
    raiseNote(db, manager, 'manager', hires, {
      body: 'Document who approved the late background check and whether the new hire had system access before it cleared.',
      sampleItemId: null,
      attribute: null,
    });
  }
}
