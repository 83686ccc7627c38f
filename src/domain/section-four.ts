// Section IV of a SOC report, "Tests of controls and results": the controls grouped by the criterion
// (SOC 2, ISAE 3000) or control objective (SOC 1, ISAE 3402) they address, each with the tests the service
// auditor performed and their results (domain.md, "The report"). Pure: the outputs only lay it out.

import { compareReferences } from './criteria.js';
import type { TestProcedure } from './test-plan.js';
import { resultsOf, testsPerformed, type TestedWindow } from './section-four-procedures.js';
import { vocabularyOfFamily } from './vocabulary.js';

export {
  NOT_COMPLETED_SENTENCE,
  resultsOf,
  type SampleFacts,
  sampleCount,
  type TestedWindow,
  testsPerformed,
} from './section-four-procedures.js';

/** SSAE 18 / AICPA reports in US spelling; ISAE 3402 / 3000 reports in British ("service organisation"). */
export type ReportStandard = 'aicpa' | 'isae';
export const carvedOutLine = (standard: ReportStandard, also = false) => {
  const v = vocabularyOfFamily(standard);
  return `${also ? 'Also a' : 'A'}${v.carvedOutBy.slice(1)} (carved out); see ${v.csocTitle}.`;
};
export const NO_CONTROLS_SENTENCE = 'No controls are mapped to it yet.';
export const CRITERION_NO_TESTING_SENTENCE =
  'No testing performed: the circumstances that warrant the operation of the controls addressing it did not occur during the period, so their operating effectiveness was not tested.';
export const notApplicableLine = (reason: string) => `Not applicable: ${reason.trim().replace(/[.\s]+$/, '')}.`;

export interface ControlForReport {
  reference: string;
  description: string;
  /** Criterion ids or objective references the control is mapped to. */
  mappedTo: string[];
  procedures: TestProcedure[];
  windows: TestedWindow[];
}

export interface ComplementaryForReport {
  kind: 'cuec' | 'csoc';
  reference: string;
  description: string;
  criteria: string[];
  /** The carved-out subservice organization that operates a CSOC. */
  subserviceOrganization: string | null;
}

export interface SectionFourInput {
  kind: 'criteria' | 'objectives';
  standard?: ReportStandard;
  /** Type I describes the controls as designed: no tests of operating effectiveness, no results. */
  reportType?: 'type1' | 'type2';
  /** References addressed by a carved-out subservice organization's controls (CSOCs). */
  carvedOut?: string[];
  /** References marked not applicable, with the recorded reason. */
  notApplicable?: { reference: string; reason: string }[];
  /** Criteria or objectives in scope, in report order. */
  scope: { reference: string; title: string }[];
  controls: ControlForReport[];
  complementary: ComplementaryForReport[];
}

export interface SectionFourRow {
  controlNumber: string;
  controlActivity: string;
  /** One entry per test procedure, the sample stated on the one that tested it. */
  testsPerformed: string[];
  /** One entry per tested window. */
  results: string[];
  managementResponses: string[];
}

/** How a criterion in scope is addressed, which decides what Section IV states under it. */
export type GroupCoverage = 'controls' | 'carved-out' | 'not-applicable' | 'no-controls';

export interface SectionFourGroup {
  reference: string;
  title: string;
  coverage: GroupCoverage;
  /** The line stated under the heading: carved out, not applicable, no testing performed, or no controls. */
  note: string | null;
  rows: SectionFourRow[];
}

export interface ComplementaryRow {
  reference: string;
  description: string;
  criteria: string[];
  subserviceOrganization: string | null;
}

export interface SectionFour {
  kind: 'criteria' | 'objectives';
  reportType: 'type1' | 'type2';
  /** "Criterion" or "Control objective", for headings. */
  groupNoun: string;
  groups: SectionFourGroup[];
  cuecs: ComplementaryRow[];
  csocs: ComplementaryRow[];
}

function managementResponses(windows: readonly TestedWindow[]): string[] {
  const responses = windows.flatMap((w) => w.exceptions.map((e) => e.managementResponse.trim())).filter(Boolean);
  return [...new Set(responses)];
}

export function sectionFourRow(control: ControlForReport, reportType: 'type1' | 'type2' = 'type2'): SectionFourRow {
  const described = { controlNumber: control.reference, controlActivity: control.description.trim() };
  if (reportType === 'type1') return { ...described, testsPerformed: [], results: [], managementResponses: [] };
  return {
    ...described,
    testsPerformed: testsPerformed(control.procedures, control.windows),
    results: resultsOf(control.windows),
    managementResponses: managementResponses(control.windows),
  };
}

function complementaryRows(items: readonly ComplementaryForReport[], kind: 'cuec' | 'csoc'): ComplementaryRow[] {
  return items
    .filter((c) => c.kind === kind)
    .map((c) => ({
      reference: c.reference,
      description: c.description,
      criteria: [...c.criteria].sort(compareReferences),
      subserviceOrganization: c.subserviceOrganization,
    }))
    .sort(
      (a, b) =>
        (a.subserviceOrganization ?? '').localeCompare(b.subserviceOrganization ?? '') ||
        compareReferences(a.reference, b.reference),
    );
}

/** Controls mapped to each reference, each list in reference order. */
function controlsByReference(controls: readonly ControlForReport[]): Map<string, ControlForReport[]> {
  const byReference = new Map<string, ControlForReport[]>();
  for (const control of controls) {
    for (const ref of new Set(control.mappedTo)) byReference.set(ref, [...(byReference.get(ref) ?? []), control]);
  }
  for (const list of byReference.values()) list.sort((a, b) => compareReferences(a.reference, b.reference));
  return byReference;
}

const didNotOperate = (control: ControlForReport) =>
  control.windows.length > 0 && control.windows.every((w) => w.conclusion === 'no-testing');

/** What a criterion's heading is followed by: its controls, or the one line that says how it is addressed. */
export function groupCoverage(
  mapped: readonly ControlForReport[],
  facts: {
    carvedOut: boolean;
    notApplicableReason: string | undefined;
    reportType?: 'type1' | 'type2';
    standard?: ReportStandard;
  },
): { coverage: GroupCoverage; note: string | null } {
  const { carvedOut, notApplicableReason, reportType = 'type2', standard = 'aicpa' } = facts;
  if (mapped.length > 0) {
    if (reportType === 'type2' && mapped.every(didNotOperate))
      return { coverage: 'controls', note: CRITERION_NO_TESTING_SENTENCE };
    return { coverage: 'controls', note: carvedOut ? carvedOutLine(standard, true) : null };
  }
  if (notApplicableReason !== undefined)
    return { coverage: 'not-applicable', note: notApplicableLine(notApplicableReason) };
  if (carvedOut) return { coverage: 'carved-out', note: carvedOutLine(standard) };
  return { coverage: 'no-controls', note: NO_CONTROLS_SENTENCE };
}

/**
 * Every criterion or objective in scope, in scope order, each with the controls mapped to it (a control mapped to
 * several appears under each, as SOC reports show it), or the line saying it is carved out, not applicable or
 * not yet addressed.
 */
export function sectionFour(input: SectionFourInput): SectionFour {
  const reportType = input.reportType ?? 'type2';
  const byReference = controlsByReference(input.controls);
  const carved = new Set((input.carvedOut ?? []).map((r) => r.toUpperCase()));
  const reasons = new Map((input.notApplicable ?? []).map((n) => [n.reference.toUpperCase(), n.reason]));
  const rows = new Map(input.controls.map((c) => [c, sectionFourRow(c, reportType)]));
  const groups = input.scope.map((item) => {
    const mapped = byReference.get(item.reference) ?? [];
    const key = item.reference.toUpperCase();
    return {
      reference: item.reference,
      title: item.title,
      ...groupCoverage(mapped, {
        carvedOut: carved.has(key),
        notApplicableReason: reasons.get(key),
        reportType,
        standard: input.standard ?? 'aicpa',
      }),
      rows: mapped.map((c) => rows.get(c)!),
    };
  });
  return {
    kind: input.kind,
    reportType,
    groupNoun: input.kind === 'criteria' ? 'Criterion' : 'Control objective',
    groups,
    cuecs: complementaryRows(input.complementary, 'cuec'),
    csocs: complementaryRows(input.complementary, 'csoc'),
  };
}
