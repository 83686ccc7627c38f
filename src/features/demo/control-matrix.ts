import type { Tx } from '../../db/connection.js';
import {
  complementaryControlMappings,
  complementaryControls,
  controlMappings,
  walkthroughs,
} from '../../db/schema/index.js';
import { readProcedureLine, type TestProcedure } from '../../domain/test-plan.js';
import type { DemoControl } from './demo-control.js';
import { appendAudit } from '../../core/audit/trail.js';
import { type ControlRow, insertControl, writeTestPlan } from '../controls/index.js';
import { seedTickmarkLegend } from '../tickmarks/index.js';
import { GOVERNANCE_CONTROLS } from './controls-governance.js';
import { OPERATIONS_CONTROLS } from './controls-operations.js';

const WALKED_THROUGH: Record<string, { on: string; traced: string }> = {
  'CC6.2-01': {
    on: '2025-03-12',
    traced:
      'Traced access request NL-ACC-2291 (new support analyst) from the Jira request through manager and system owner approval to the Okta provisioning log; approval preceded provisioning.',
  },
  'CC6.3-01': {
    on: '2025-03-12',
    traced:
      'Traced the termination of an engineer on 14 Feb 2025 from HR ticket NL-HR-0412 to the Okta deactivation at 09:12 on 15 Feb 2025 and confirmed no active production accounts remained.',
  },
  'CC8.1-01': {
    on: '2025-03-13',
    traced:
      'Traced pull request #4817 (invoice export fix) from creation through an independent approval and a passing CI run to the production deployment record.',
  },
  'A1.2-01': {
    on: '2025-03-14',
    traced:
      'Traced the backup of 11 Mar 2025 from the scheduler to the completed job log and the copy in the secondary region; inspected the alert raised for the failed job of 3 Mar 2025 and its same-day rerun.',
  },
};

function procedure(line: string): TestProcedure {
  const read = readProcedureLine(line);
  if (!read.ok) throw new Error(`demo procedure not typed: ${line}`);
  return read.value;
}

interface DemoControlPlace {
  engagementId: number;
  periodStart: string;
  seniorId: number | null;
  /** SOC 1 / ISAE 3402: the objectives' ids by reference; without it the control maps to criteria. */
  objectiveIds?: Map<string, number>;
}

/** One demo control with its mappings and test plan, created by the demo senior (in the trail). */
export function insertDemoControl(tx: Tx, place: DemoControlPlace, demo: DemoControl): ControlRow {
  const { criteria, procedures, attributes, calendar = 'business-days', ...fields } = demo;
  const { engagementId, periodStart, seniorId, objectiveIds } = place;
  const control = insertControl(tx, engagementId, {
    ...fields,
    calendar,
    implementedFrom: periodStart,
    changedOn: null,
    descriptionBeforeChange: '',
    descriptionAfterChange: '',
  });
  const mappings = criteria.map((ref) =>
    objectiveIds
      ? { controlId: control.id, objectiveId: objectiveIds.get(ref)! }
      : { controlId: control.id, criterionId: ref },
  );
  tx.insert(controlMappings).values(mappings).run();
  writeTestPlan(tx, control.id, { procedures: procedures.map(procedure), attributes });
  appendAudit(tx, seniorId, {
    engagementId,
    entity: 'control',
    entityId: control.id,
    action: 'create',
    changes: { reference: [null, control.reference] },
  });
  return control;
}

/** A walkthrough that found the design suitable, performed by the demo senior. */
export function insertDemoWalkthrough(
  tx: Tx,
  controlId: number,
  seniorId: number,
  walkthrough: { on: string; traced: string },
): void {
  tx.insert(walkthroughs)
    .values({
      controlId,
      performedOn: walkthrough.on,
      performedBy: seniorId,
      traced: walkthrough.traced,
      conclusion: 'suitably-designed',
      deficiency: '',
      updatedAt: new Date().toISOString(),
    })
    .run();
}

/** About thirty controls across CC1–CC9 and A1, each with its test plan; four already walked through. */
export function seedDemoControls(tx: Tx, engagementId: number, periodStart: string, seniorId: number | null): void {
  for (const demo of [...GOVERNANCE_CONTROLS, ...OPERATIONS_CONTROLS]) {
    const control = insertDemoControl(tx, { engagementId, periodStart, seniorId }, demo);
    const walkthrough = WALKED_THROUGH[control.reference];
    if (walkthrough && seniorId) insertDemoWalkthrough(tx, control.id, seniorId, walkthrough);
  }
  seedTickmarkLegend(tx, seniorId, engagementId);
}

interface DemoComplementary {
  kind: 'cuec' | 'csoc';
  reference: string;
  description: string;
  org?: string;
  criteria: string[];
}

const COMPLEMENTARY: DemoComplementary[] = [
  {
    kind: 'cuec',
    reference: 'CUEC-01',
    description:
      "User entities are responsible for approving their users' access to Nimbus Ledger and for removing the access of their departed staff promptly.",
    criteria: ['CC6.2', 'CC6.3'],
  },
  {
    kind: 'cuec',
    reference: 'CUEC-02',
    description:
      'User entities are responsible for enabling multi-factor authentication for their users in the Nimbus Ledger security settings.',
    criteria: ['CC6.1'],
  },
  {
    kind: 'cuec',
    reference: 'CUEC-03',
    description:
      'User entities are responsible for notifying Nimbus Ledger promptly of suspected unauthorised access to their accounts.',
    criteria: ['CC7.3'],
  },
  {
    kind: 'csoc',
    reference: 'CSOC-01',
    org: 'Stratus Cloud Services',
    description:
      'Stratus Cloud Services is responsible for restricting physical access to the data centres that host the Nimbus Ledger platform to authorised personnel.',
    criteria: ['CC6.4'],
  },
  {
    kind: 'csoc',
    reference: 'CSOC-02',
    org: 'Stratus Cloud Services',
    description:
      'Stratus Cloud Services is responsible for environmental protections at its data centres: power, fire suppression and climate control.',
    criteria: ['A1.2'],
  },
  {
    kind: 'csoc',
    reference: 'CSOC-03',
    org: 'PayRelay Ltd',
    description:
      'PayRelay Ltd is responsible for protecting cardholder data transmitted to it for subscription billing.',
    criteria: ['CC6.7'],
  },
];

export function seedDemoComplementaryControls(tx: Tx, engagementId: number, orgIds: Map<string, number>): void {
  for (const c of COMPLEMENTARY) {
    const row = tx
      .insert(complementaryControls)
      .values({
        engagementId,
        kind: c.kind,
        reference: c.reference,
        description: c.description,
        subserviceOrgId: c.org ? orgIds.get(c.org)! : null,
      })
      .returning()
      .get();
    tx.insert(complementaryControlMappings)
      .values(c.criteria.map((criterionId) => ({ complementaryControlId: row.id, criterionId })))
      .run();
  }
}
