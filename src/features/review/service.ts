import { RuleError } from '../../core/errors.js';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { reviewNoteMessages, reviewNotes, signoffs, type EngagementRole } from '../../db/schema/index.js';
import { mayClearNote, signoffProblem, type SignoffLevel } from '../../domain/review.js';
import { recordWrite } from '../../core/audit/record.js';
import type { CurrentUser } from '../../core/auth/current-user.js';
import { findNote, openNoteCount, reviewFacts, workRecordedOn, type WorkpaperRow } from './queries.js';

export function signOff(
  db: Db,
  actor: CurrentUser,
  role: EngagementRole,
  wp: WorkpaperRow,
  level: SignoffLevel,
  secondReviewRequired: boolean,
): void {
  db.transaction((tx) => {
    const problem = signoffProblem({
      level,
      userId: actor.id,
      role,
      facts: reviewFacts(tx, wp, secondReviewRequired),
      openNotes: openNoteCount(tx, { workpaperId: wp.id }),
      work: workRecordedOn(tx, wp),
    });
    if (problem) throw new RuleError(problem);
    const at = new Date().toISOString();
    const row = tx
      .insert(signoffs)
      .values({ engagementId: wp.engagementId, workpaperId: wp.id, level, userId: actor.id, signedAt: at })
      .returning()
      .get();
    recordWrite(tx, actor.id, {
      table: signoffs,
      entity: 'signoff',
      entityId: row.id,
      engagementId: wp.engagementId,
      before: null,
      after: row,
      action: 'sign',
    });
  });
}

export interface NewNote {
  body: string;
  sampleItemId: number | null;
  attribute: string | null;
}

export function raiseNote(db: Db, actor: CurrentUser, role: EngagementRole, wp: WorkpaperRow, note: NewNote): number {
  return db.transaction((tx) => {
    const at = new Date().toISOString();
    const row = tx
      .insert(reviewNotes)
      .values({
        engagementId: wp.engagementId,
        workpaperId: wp.id,
        sampleItemId: note.sampleItemId,
        attribute: note.attribute,
        authorId: actor.id,
        authorRole: role,
        createdAt: at,
      })
      .returning()
      .get();
    tx.insert(reviewNoteMessages).values({ noteId: row.id, authorId: actor.id, body: note.body, createdAt: at }).run();
    // The first message's body is the note's text; its author and time are the entry's own.
    recordWrite(tx, actor.id, {
      table: reviewNotes,
      entity: 'review-note',
      entityId: row.id,
      engagementId: wp.engagementId,
      before: null,
      after: row,
      action: 'raise',
      also: { body: [null, note.body] },
    });
    return row.id;
  });
}

/** A reply moves an open note to "responded" when it comes from someone other than the author. */
export function respondToNote(db: Db, actor: CurrentUser, engagementId: number, noteId: number, body: string): void {
  db.transaction((tx) => {
    const note = findNote(tx, engagementId, noteId);
    if (!note) throw new RuleError('That review note does not exist.');
    if (note.status === 'cleared') throw new RuleError('The note is cleared; raise a new one.');
    tx.insert(reviewNoteMessages)
      .values({ noteId, authorId: actor.id, body, createdAt: new Date().toISOString() })
      .run();
    const status = note.authorId === actor.id ? note.status : 'responded';
    const after =
      status === note.status
        ? note
        : tx.update(reviewNotes).set({ status }).where(eq(reviewNotes.id, noteId)).returning().get();
    // The reply is recorded by its body (its author and time are the entry's own), with the status the note moves to.
    recordWrite(tx, actor.id, {
      table: reviewNotes,
      entity: 'review-note',
      entityId: noteId,
      engagementId,
      before: note,
      after,
      action: 'respond',
      also: { body: [null, body], status: [note.status, status] },
    });
  });
}

export function clearNote(
  db: Db,
  actor: CurrentUser,
  role: EngagementRole,
  engagementId: number,
  noteId: number,
): void {
  db.transaction((tx) => {
    const note = findNote(tx, engagementId, noteId);
    if (!note) throw new RuleError('That review note does not exist.');
    if (note.status === 'cleared') return;
    if (!mayClearNote({ authorId: note.authorId, authorRole: note.authorRole }, { id: actor.id, role })) {
      throw new RuleError('Only the note’s author or someone more senior on the team clears it.');
    }
    const at = new Date().toISOString();
    const after = tx
      .update(reviewNotes)
      .set({ status: 'cleared', clearedBy: actor.id, clearedAt: at })
      .where(eq(reviewNotes.id, noteId))
      .returning()
      .get();
    recordWrite(tx, actor.id, {
      table: reviewNotes,
      entity: 'review-note',
      entityId: noteId,
      engagementId,
      before: note,
      after,
      action: 'clear',
    });
  });
}
