import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/connection.js';
import { controls, walkthroughs, workpapers } from '../../db/schema/index.js';

/** Control reference → the result sentences of its workpapers, as the auditor kept them. */
export function resultSentences(db: Tx, engagementId: number): Map<string, string> {
  const rows = db
    .select({ reference: controls.reference, text: workpapers.resultText })
    .from(workpapers)
    .innerJoin(controls, eq(controls.id, workpapers.controlId))
    .where(eq(workpapers.engagementId, engagementId))
    .all();
  const out = new Map<string, string>();
  for (const r of rows) if (r.text) out.set(r.reference, [out.get(r.reference), r.text].filter(Boolean).join(' '));
  return out;
}

/** Every walkthrough of the engagement's controls: its design conclusion and any deficiency recorded. */
export function walkthroughConclusions(db: Tx, engagementId: number) {
  return db
    .select({
      controlId: walkthroughs.controlId,
      conclusion: walkthroughs.conclusion,
      deficiency: walkthroughs.deficiency,
    })
    .from(walkthroughs)
    .innerJoin(controls, eq(controls.id, walkthroughs.controlId))
    .where(eq(controls.engagementId, engagementId))
    .all();
}

/** Control id → the design deficiency its walkthrough recorded, for controls found not suitably designed. */
export function designFindings(db: Tx, engagementId: number): Map<number, string> {
  const found = walkthroughConclusions(db, engagementId).filter(
    (r) => r.conclusion === 'not-suitably-designed' && r.deficiency.trim() !== '',
  );
  return new Map(found.map((r) => [r.controlId, r.deficiency]));
}
