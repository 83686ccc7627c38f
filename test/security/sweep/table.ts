// Who may do what, written down independently of src/features/engagements/route-rules.ts so that the sweep
// checks the app rather than repeating it: one row per write route and per role-only page. A new write route
// fails the sweep until it has a row here; a page left out is open to every member of the team.
import { generateKeyPairSync } from 'node:crypto';
import type { UploadFile } from '../../helpers/multipart.js';

export type EngagementRole = 'staff' | 'senior' | 'manager' | 'partner' | 'eqr' | 'viewer';
export type FirmRole = 'staff' | 'senior' | 'manager' | 'partner' | 'admin';
export const ENGAGEMENT_ROLES: EngagementRole[] = ['staff', 'senior', 'manager', 'partner', 'eqr', 'viewer'];
export const FIRM_ROLES: FirmRole[] = ['staff', 'senior', 'manager', 'partner', 'admin'];

type Fields = Record<string, string | string[]>;

export interface SweepRow {
  /** Who may use it: engagement roles on an engagement's routes, firm roles on the others. */
  roles: readonly EngagementRole[] | readonly FirmRole[];
  /** Fixture ids to put in the URL instead of the one named like the parameter. */
  params?: Record<string, string>;
  /** Values for what the form leaves empty, or the whole body where no page shows the form. */
  body?: Fields | ((ids: Record<string, string>) => Fields);
  /** The file a multipart form uploads. */
  file?: UploadFile;
  /**
   * Why an allowed request with this body writes nothing from the sweep's starting point (it only reads, or
   * the fixture cannot reach the state it needs); without it, the sweep checks an allowed request writes.
   */
  writesNothing?: string;
}

export function bodyOf(row: SweepRow | undefined, ids: Record<string, string>): Fields {
  const body = row?.body;
  return typeof body === 'function' ? body(ids) : (body ?? {});
}

const E = '/engagements/:engagementId';
const WP = `${E}/controls/:controlId/workpaper/:populationId`;

const MANAGERS = ['manager', 'partner'] as const;
const SENIORS = ['senior', 'manager', 'partner'] as const;
const TESTERS = ['staff', 'senior', 'manager', 'partner'] as const;
const REVIEWERS = ['senior', 'manager', 'partner', 'eqr'] as const;
const EVERYONE = ['staff', 'senior', 'manager', 'partner', 'eqr'] as const;
const PARTNER = ['partner'] as const;
const OPENERS = ['manager', 'partner', 'admin'] as const;
const ADMIN = ['admin'] as const;

/** The demo workpaper whose override awaits a decision (one pending override blocks "prepared" on its own). */
const OVERRIDE_WORKPAPER = { controlId: 'overrideControlId', populationId: 'overridePopulationId' };

const pdf: UploadFile = {
  name: 'approval.pdf',
  content: '%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n',
  type: 'application/pdf',
};
const csv = (text: string, name = 'list.csv'): UploadFile => ({ name, content: text, type: 'text/csv' });
const MATRIX =
  'Reference,Description,Owner,Frequency,Nature,Type,Key,Risk,Criteria,Procedures,Attributes\nSW-NEW,Sweep control.,Ops,event-driven,manual,preventive,yes,lower,CC6.1,inspection: Inspected it.,It was approved.\n';
const TICKETS = 'Change ID,Deployed,Summary,Amount\nCHG-1,2025-02-01,One,1.00\nCHG-2,2025-03-01,Two,2.00\n';
const engagementForm = {
  clientName: 'Nimbus Ledger, Inc.',
  systemName: 'Ledger Cloud',
  framework: 'soc2',
  reportType: 'type2',
  periodStart: '2025-01-01',
  periodEnd: '2025-12-31',
  plannedReportDate: '2026-02-27',
  status: 'fieldwork',
};
const controlForm = {
  description: 'Changes are approved before deployment.',
  owner: 'Head of Engineering',
  frequency: 'event-driven',
  nature: 'manual',
  controlType: 'preventive',
  isKey: 'on',
  risk: 'lower',
  implementedFrom: '2025-01-01',
  criteria: ['CC8.1'],
};

export const SWEEP_ROWS: Readonly<Record<string, SweepRow>> = {
  // Outside any engagement: firm roles.
  'GET /admin/users': { roles: ADMIN },
  'POST /admin/users': {
    roles: ADMIN,
    body: { name: 'New Person', email: 'new.person@sweep.test', firmRole: 'staff', password: 'a long enough password' },
  },
  'POST /admin/users/:userId/role': { roles: ADMIN, body: { firmRole: 'senior' } },
  'POST /admin/users/:userId/active': { roles: ADMIN, body: { active: '0' } },
  'POST /admin/users/:userId/password': { roles: ADMIN, body: { password: 'another long password' } },
  'GET /admin/trusted-keys': { roles: ADMIN },
  'POST /admin/trusted-keys': {
    roles: ADMIN,
    body: () => ({
      label: 'Another office',
      publicKey: generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    }),
  },
  'POST /admin/trusted-keys/:keyId/remove': { roles: ADMIN },
  'GET /admin/methodology': { roles: ADMIN },
  'POST /admin/methodology': { roles: ADMIN, body: { 'sampleSizes.daily.higher': '45' } },
  'GET /engagements/new': { roles: OPENERS },
  'POST /engagements': {
    roles: OPENERS,
    body: (ids) => ({ ...engagementForm, clientName: 'Sweep Client', partnerUserId: ids.partnerUserId! }),
  },
  'GET /engagements/import': { roles: OPENERS },
  'POST /engagements/import': {
    roles: OPENERS,
    file: { name: 'archive.zip', content: 'not a zip', type: 'application/zip' },
    writesNothing: 'the sweep sends an unreadable archive, which is refused before anything is written',
  },
  'POST /account/password': {
    roles: ['staff', 'senior', 'manager', 'partner', 'admin'],
    body: { current: 'wrong password', password: 'a new long password', confirm: 'a new long password' },
    writesNothing: 'the current password sent is wrong',
  },

  // The engagement and its team.
  [`GET ${E}/edit`]: { roles: MANAGERS },
  [`POST ${E}/edit`]: { roles: MANAGERS, body: { systemName: 'Ledger Cloud (swept)' } },
  [`POST ${E}/subservice-orgs`]: {
    roles: MANAGERS,
    body: { name: 'Sweep Hosting', services: 'Colocation', method: 'carve-out' },
  },
  [`POST ${E}/subservice-orgs/:orgId/remove`]: { roles: MANAGERS },
  [`POST ${E}/team`]: { roles: MANAGERS, body: (ids) => ({ userId: ids.userId!, role: 'staff' }) },
  [`POST ${E}/team/:memberId/role`]: { roles: MANAGERS, body: { role: 'staff' } },
  [`POST ${E}/team/:memberId/remove`]: { roles: MANAGERS },
  [`POST ${E}/roll-forward`]: { roles: MANAGERS, body: { periodStart: '2027-01-01', periodEnd: '2027-12-31' } },

  // The control matrix.
  [`GET ${E}/controls/new`]: { roles: SENIORS },
  [`POST ${E}/controls`]: { roles: SENIORS, body: { ...controlForm, reference: 'SW-NEW' } },
  [`POST ${E}/controls/:controlId/delete`]: { roles: MANAGERS },
  [`GET ${E}/controls/:controlId/details/edit`]: { roles: SENIORS },
  [`POST ${E}/controls/:controlId/details`]: { roles: SENIORS, body: { owner: 'Chief Technology Officer' } },
  [`POST ${E}/controls/:controlId/itgcs`]: {
    roles: SENIORS,
    body: (ids) => ({ itgc: ids.periodicControlId!, basedOn: '' }),
  },
  [`GET ${E}/controls/:controlId/test-plan/edit`]: { roles: TESTERS },
  [`POST ${E}/controls/:controlId/test-plan`]: {
    roles: TESTERS,
    body: { attributeText: 'The change ticket shows an approval before deployment (swept).' },
  },
  [`GET ${E}/controls/:controlId/walkthrough/edit`]: { roles: TESTERS },
  [`POST ${E}/controls/:controlId/walkthrough`]: {
    roles: TESTERS,
    body: (ids) => ({
      performedOn: '2025-03-03',
      performedBy: ids.partnerUserId!,
      traced: 'One change from request to deployment (swept).',
      conclusion: 'suitably-designed',
    }),
  },
  [`GET ${E}/controls/import`]: { roles: SENIORS },
  [`POST ${E}/controls/import`]: { roles: SENIORS, file: csv(MATRIX, 'matrix.csv') },
  [`GET ${E}/controls/import/:importId`]: { roles: SENIORS },
  // A pending import is its uploader's (the partner's): the others allowed get 404.
  [`POST ${E}/controls/import/:importId/confirm`]: { roles: SENIORS },
  [`POST ${E}/controls/import/:importId/discard`]: { roles: SENIORS },
  [`POST ${E}/objectives`]: { roles: SENIORS, body: { reference: 'CO-NEW', text: 'Access is restricted.' } },
  [`POST ${E}/objectives/:objectiveId`]: {
    roles: SENIORS,
    body: { reference: 'CO-E1', text: 'Changes are authorised and tested.' },
  },
  [`POST ${E}/objectives/:objectiveId/move`]: {
    roles: SENIORS,
    body: { direction: 'down' },
    writesNothing: 'the only objective has nowhere to move',
  },
  [`POST ${E}/objectives/:objectiveId/delete`]: { roles: SENIORS },
  [`POST ${E}/complementary-controls`]: {
    roles: SENIORS,
    body: { kind: 'cuec', reference: 'CUEC-SW', description: 'Users review access quarterly.', criteria: ['CC6.1'] },
  },
  [`GET ${E}/complementary-controls/:complementaryId/edit`]: { roles: SENIORS },
  [`POST ${E}/complementary-controls/:complementaryId`]: {
    roles: SENIORS,
    body: { description: 'User entities review access quarterly (swept).' },
  },
  [`POST ${E}/complementary-controls/:complementaryId/delete`]: { roles: SENIORS },
  [`POST ${E}/tickmarks`]: { roles: SENIORS, body: { symbol: '⊛', meaning: 'Agreed to the sweep.' } },
  [`POST ${E}/tickmarks/defaults`]: {
    roles: SENIORS,
    writesNothing: 'the demo legend already holds every default tickmark',
  },
  [`POST ${E}/tickmarks/:tickmarkId`]: { roles: SENIORS, body: { meaning: 'Agreed without exception (swept).' } },
  [`POST ${E}/tickmarks/:tickmarkId/delete`]: { roles: SENIORS },

  // Populations and samples.
  [`POST ${E}/holidays`]: { roles: SENIORS, body: { holidays: '2025-12-24 Christmas Eve\n2025-12-25 Christmas Day' } },
  [`POST ${E}/holidays/upload`]: {
    roles: SENIORS,
    file: {
      name: 'holidays.ics',
      content:
        'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20251226\r\nSUMMARY:Boxing Day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
      type: 'text/calendar',
    },
  },
  [`POST ${E}/controls/:controlId/populations/generate`]: {
    roles: TESTERS,
    params: { controlId: 'periodicControlId' },
  },
  [`POST ${E}/controls/:controlId/populations/upload`]: {
    roles: SENIORS,
    params: { controlId: 'emptyControlId' },
    body: { window: '0' },
    file: csv(TICKETS),
  },
  [`POST ${E}/populations/:populationId/mapping`]: {
    roles: SENIORS,
    params: { populationId: 'draftPopulationId' },
    body: { header: 'on', key: '0', date: '1', description: '2', amount: '3', dateFormat: 'iso' },
  },
  [`POST ${E}/populations/:populationId/ca`]: { roles: TESTERS, body: { sourceSystem: 'Jira (swept)' } },
  [`POST ${E}/populations/:populationId/ca/not-needed`]: {
    roles: SENIORS,
    params: { populationId: 'draftPopulationId' },
    body: { reason: 'The list is the system’s own log (swept).' },
  },
  [`POST ${E}/populations/:populationId/ca/complete`]: {
    roles: SENIORS,
    writesNothing:
      "the sweep's population has its C&A complete already, so no page offers the form's version and the stale one is refused (409)",
  },
  [`POST ${E}/populations/:populationId/replace`]: {
    roles: SENIORS,
    body: { reason: 'The client sent a corrected list.' },
  },
  [`POST ${E}/populations/:populationId/samples`]: {
    roles: TESTERS,
    params: { populationId: 'periodicPopulationId' },
    body: { method: 'random', seed: '4242', sizing: 'table' },
  },
  [`POST ${E}/samples/:sampleId/verify`]: {
    roles: EVERYONE,
    writesNothing: 'verifying recomputes the selection and only reads',
  },
  [`POST ${E}/samples/:sampleId/approve`]: {
    roles: MANAGERS,
    writesNothing: "the sweep's sample is drawn, not awaiting approval (409)",
  },
  [`POST ${E}/samples/:sampleId/decline`]: {
    roles: MANAGERS,
    body: { reason: 'Too large for manual testing.' },
    writesNothing: "the sweep's sample is drawn, not awaiting approval (409)",
  },

  // Testing.
  [`POST ${WP}/cells`]: {
    roles: TESTERS,
    body: (ids) => ({ item: ids.sampleItemId!, attribute: 'A', result: 'na', naReason: 'Swept.', version: '1' }),
  },
  [`POST ${WP}/bulk-pass`]: {
    roles: TESTERS,
    body: (ids) => ({ item: ids.sampleItemId! }),
    writesNothing: 'every cell of the item is already marked',
  },
  [`POST ${WP}/items/:sampleItemId/results`]: { roles: TESTERS, body: { 'result-A': 'na', 'reason-A': 'Swept.' } },
  [`POST ${WP}/items/:sampleItemId/notes`]: { roles: TESTERS, body: { notes: 'Inspected the ticket (swept).' } },
  [`POST ${WP}/items/:sampleItemId/exceptions/:attribute`]: {
    roles: TESTERS,
    body: { description: 'Deployed before approval (swept).' },
  },
  [`POST ${WP}/conclusion`]: {
    roles: TESTERS,
    body: {
      conclusion: 'exceptions-effective',
      reason: 'One isolated exception; the control operated effectively (swept).',
    },
  },
  [`POST ${WP}/wording`]: { roles: TESTERS, body: { text: 'The sweep wrote this result.' } },
  [`POST ${WP}/extend`]: { roles: TESTERS, writesNothing: 'the figures of the demo workpaper call for no extension' },
  [`POST ${WP}/replacements`]: {
    roles: TESTERS,
    writesNothing: 'no item of the demo workpaper is not applicable on every attribute',
  },
  [`POST ${WP}/overrides`]: {
    roles: TESTERS,
    body: { rationale: 'A further extension is warranted (swept).' },
    writesNothing: 'the figures of the demo workpaper support the control: there is no further extension to ask for',
  },
  [`POST ${WP}/overrides/:overrideId/approve`]: { roles: MANAGERS, params: OVERRIDE_WORKPAPER },
  [`POST ${WP}/overrides/:overrideId/decline`]: {
    roles: MANAGERS,
    params: OVERRIDE_WORKPAPER,
    body: { reason: 'Not warranted (swept).' },
  },
  [`POST ${WP}/items/:sampleItemId/exceptions/:attribute/anomaly`]: {
    roles: SENIORS,
    body: { reason: 'Not representative of the population (swept).' },
    writesNothing: 'the demo engagement is SOC 2, where a deviation is never an anomaly (422)',
  },
  [`POST ${WP}/anomalies/:anomalyId/approve`]: {
    roles: MANAGERS,
    writesNothing: 'the demo engagement is SOC 2, where a deviation is never an anomaly (422)',
  },
  [`POST ${WP}/anomalies/:anomalyId/decline`]: {
    roles: MANAGERS,
    body: { reason: 'Not shown to be unrepresentative (swept).' },
    writesNothing: 'the demo engagement is SOC 2, where a deviation is never an anomaly (422)',
  },
  [`POST ${WP}/prepared`]: { roles: TESTERS },
  [`POST ${WP}/evidence`]: { roles: TESTERS, file: pdf },
  [`POST ${WP}/items/:sampleItemId/evidence`]: { roles: TESTERS, file: pdf },
  [`POST ${WP}/evidence/:evidenceId/supersede`]: { roles: TESTERS, file: pdf },
  [`POST ${WP}/evidence/:evidenceId/delete`]: {
    roles: TESTERS,
    writesNothing: 'the demo workpaper is prepared, so its evidence is only replaced, never deleted',
  },

  // Review and the opinion.
  [`POST ${E}/workpapers/:workpaperId/signoffs`]: {
    roles: REVIEWERS,
    body: { level: 'reviewed' },
    writesNothing: 'the demo workpaper has an open review note, which blocks sign-off',
  },
  [`POST ${E}/workpapers/:workpaperId/notes`]: { roles: REVIEWERS, body: { body: 'Attach the approval (swept).' } },
  [`POST ${E}/review-notes/:noteId/responses`]: { roles: EVERYONE, body: { body: 'Attached (swept).' } },
  [`POST ${E}/review-notes/:noteId/clear`]: { roles: EVERYONE },
  [`POST ${E}/opinion/pervasiveness`]: {
    roles: PARTNER,
    body: { pervasiveFailure: 'on', pervasivenessReasons: 'The failure affects most criteria (swept).' },
  },
  [`POST ${E}/opinion/scope-limitations`]: {
    roles: MANAGERS,
    body: { criterionRef: 'CC7.1', description: 'Logs were not retained (swept).' },
  },
  [`POST ${E}/opinion/scope-limitations/:limitationId/remove`]: { roles: MANAGERS },
  [`POST ${E}/opinion/not-applicable`]: {
    roles: MANAGERS,
    body: { notApplicableRef: 'CC9.2', notApplicableReason: 'Vendor management is out of scope (swept).' },
  },
  [`POST ${E}/opinion/not-applicable/:exclusionId/remove`]: { roles: MANAGERS },
  [`POST ${E}/opinion/description`]: {
    roles: MANAGERS,
    body: {
      fairlyPresented: 'no',
      descriptionMatters: 'The description omits the backup process (swept).',
      version: '0',
    },
  },
  [`POST ${E}/assertion`]: {
    roles: MANAGERS,
    body: { signerName: 'Dana Whitfield', signerTitle: 'Chief Executive Officer', signedOn: '2026-02-20' },
    file: pdf,
  },
  [`POST ${E}/opinion/quality-review`]: { roles: ['eqr'] },
  [`POST ${E}/opinion/approve`]: {
    roles: PARTNER,
    body: { type: 'qualified', reason: 'The sweep departs from the proposal on purpose.' },
    writesNothing: 'the demo has open review notes, which block approval',
  },
  [`POST ${E}/opinion/unlock`]: {
    roles: PARTNER,
    body: { reason: 'The sweep unlocks.' },
    writesNothing: 'the engagement is not locked',
  },
  [`POST ${E}/audit-trail/verify`]: { roles: PARTNER, writesNothing: 'verifying the trail only reads' },
  [`POST ${E}/pbc`]: { roles: TESTERS, body: { description: 'User access review evidence (swept).' } },
  [`GET ${E}/pbc/:requestId/edit`]: { roles: TESTERS },
  [`POST ${E}/pbc/:requestId`]: { roles: TESTERS, body: { description: 'Change tickets for the whole year (swept).' } },
  [`POST ${E}/pbc/import`]: {
    roles: TESTERS,
    file: csv(
      'Reference,Description,Controls,Owner name,Owner email,Due date,Status\nSW-1,Sweep request,,Client,,2025-06-30,open\n',
    ),
  },
  [`GET ${E}/archive/export`]: { roles: MANAGERS },
  [`POST ${E}/archive`]: {
    roles: PARTNER,
    body: { confirm: 'yes' },
    writesNothing: 'only an approved engagement is archived',
  },
};
