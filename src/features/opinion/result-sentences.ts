import { and, eq } from 'drizzle-orm';
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

/** Control id → the design deficiency its walkthrough recorded, for controls found not suitably designed. */
export function designFindings(db: Tx, engagementId: number): Map<number, string> {
  const rows = db
    .select({ controlId: walkthroughs.controlId, deficiency: walkthroughs.deficiency })
    .from(walkthroughs)
    .innerJoin(controls, eq(controls.id, walkthroughs.controlId))
    .where(and(eq(controls.engagementId, engagementId), eq(walkthroughs.conclusion, 'not-suitably-designed')))
    .all();
  return new Map(rows.filter((r) => r.deficiency.trim() !== '').map((r) => [r.controlId, r.deficiency]));
}
