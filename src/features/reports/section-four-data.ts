// Reads what Section IV states from the engagement: scope, controls and their test plans, and each tested
// window's workpaper as the testing screens read it, so the report says what the workpaper says.
import { resultWithAnomalies } from '../../domain/anomaly.js';
import { asc, eq, inArray } from 'drizzle-orm';
import { paperOf } from '../../domain/paper.js';
import type { Tx } from '../../db/connection.js';
import { controlMappings, controls, testProcedures } from '../../db/schema/index.js';
import { formatPeriod } from '../../domain/opinion-wording.js';
import type { Framework } from '../../domain/criteria.js';
import type { ControlForReport, SectionFourInput, TestedWindow } from '../../domain/section-four.js';
import type { TestProcedure } from '../../domain/test-plan.js';
import { listComplementary } from '../complementary-controls/index.js';
import { engagementScope, mappedReferences } from '../criteria/index.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import { livePopulations } from '../populations/index.js';
import { loadWorkpaper, workpaperScope } from '../testing/index.js';
import { carvedOutReferences, exclusionsOf } from '../opinion/index.js';
import { introductionStandard, reportStandardOf, sectionFourIntroduction } from '../../domain/section-four-intro.js';
import type { ReportContext } from './labels.js';

const CHUNK = 5000;

function proceduresOf(db: Tx, controlIds: number[]): Map<number, TestProcedure[]> {
  const out = new Map<number, TestProcedure[]>();
  for (let i = 0; i < controlIds.length; i += CHUNK) {
    const rows = db
      .select()
      .from(testProcedures)
      .where(inArray(testProcedures.controlId, controlIds.slice(i, i + CHUNK)))
      .orderBy(asc(testProcedures.controlId), asc(testProcedures.position))
      .all();
    for (const r of rows) out.set(r.controlId, [...(out.get(r.controlId) ?? []), { kind: r.kind, text: r.text }]);
  }
  return out;
}

/** Each live window of the control with its workpaper's conclusion, result sentence and exceptions. */
function testedWindows(db: Tx, engagement: EngagementRow, controlId: number): TestedWindow[] {
  return livePopulations(db, controlId)
    .filter((p) => p.status !== 'importing')
    .flatMap((population) => {
      const scope = workpaperScope(db, engagement, controlId, population.id);
      if (!scope) return [];
      const data = loadWorkpaper(db, scope, 'none');
      const sampled = scope.sample?.status === 'active' && data.itemCount > 0;
      const size = data.wording.itemsTested || (data.evaluation?.itemsInSample ?? data.itemCount);
      return [
        {
          label: population.label,
          sample: sampled
            ? {
                size,
                populationSize: scope.sample!.populationSize,
                itemNoun: data.itemNoun,
                replacements: data.shape.standingReplacements,
              }
            : null,
          conclusion: data.workpaper?.conclusion ?? null,
          resultSentence: resultWithAnomalies(data.result, data.anomalyReasons),
          exceptions: data.exceptions.map((e) => ({
            description: e.description,
            managementResponse: e.managementResponse,
          })),
        },
      ];
    });
}

export function sectionFourInput(db: Tx, rootDir: string, engagement: EngagementRow): SectionFourInput {
  const scope = engagementScope(db, rootDir, engagement);
  const rows = db.select().from(controls).where(eq(controls.engagementId, engagement.id)).all();
  const ids = rows.map((r) => r.id);
  const mapped = mappedReferences(db, controlMappings, ids);
  const procedures = proceduresOf(db, ids);
  const reported: ControlForReport[] = rows.map((c) => ({
    reference: c.reference,
    description: c.description,
    mappedTo: mapped.get(c.id) ?? [],
    procedures: procedures.get(c.id) ?? [],
    windows: testedWindows(db, engagement, c.id),
  }));
  const inScope = new Set(scope.items.map((i) => i.reference));
  return {
    kind: scope.kind,
    standard: reportStandardOf(engagement.framework),
    reportType: engagement.reportType,
    carvedOut: carvedOutReferences(db, engagement.id),
    notApplicable: exclusionsOf(db, engagement.id)
      .filter((x) => inScope.has(x.criterionRef))
      .map((x) => ({ reference: x.criterionRef, reason: x.reason })),
    scope: scope.items.map((i) => ({ reference: i.reference, title: i.title })),
    controls: reported,
    complementary: listComplementary(db, engagement.id).map((c) => ({
      kind: c.kind,
      reference: c.reference,
      description: c.description,
      criteria: c.criteria,
      subserviceOrganization: c.subserviceOrgName,
    })),
  };
}

export function reportContext(engagement: EngagementRow): ReportContext {
  const framework = engagement.framework as Framework;
  const kind = framework === 'soc2' || framework === 'isae3000' ? 'criteria' : 'objectives';
  return {
    framework,
    reportType: engagement.reportType,
    introduction: sectionFourIntroduction({
      ...introductionStandard(framework),
      reportType: engagement.reportType,
      serviceOrganization: engagement.clientName,
      kind,
    }),
    serviceOrganization: engagement.clientName,
    systemName: engagement.systemName,
    period: formatPeriod(framework, engagement.periodStart, engagement.periodEnd),
    paper: paperOf(engagement),
    unverifiedCopy: engagement.unverifiedReason,
  };
}
