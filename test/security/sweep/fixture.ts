// One app for a whole sweep file: the demo engagement (E1) with a member in every engagement role, a second
// engagement (E2) holding one real row of everything a URL can name, users of every firm role on no team, and
// the forms E1's pages show. Sweeps leave the database as they found it (refusals change nothing; allowed
// calls run inside a transaction that is rolled back), so every group can share it.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { RouteEntry } from '../../../src/app.js';
import { getEngagement } from '../../../src/core/engagement/queries.js';
import { findControl } from '../../../src/features/populations/queries.js';
import { createUploadedPopulation } from '../../../src/features/populations/service.js';
import { savePendingImport } from '../../../src/features/control-import/service.js';
import { addScopeLimitation } from '../../../src/features/opinion/service.js';
import { markNotApplicable } from '../../../src/features/opinion/exclusions.js';
import { rollForward } from '../../../src/features/roll-forward/service.js';
import { configuredMethodology } from '../../../src/features/methodology/index.js';
import { requestConclusionOverride } from '../../../src/features/testing/override-service.js';
import { workpaperScope } from '../../../src/features/testing/scope.js';
import { loadWorkpaper } from '../../../src/features/testing/workpaper-data.js';
import type { Conclusion } from '../../../src/domain/types.js';
import { buildTestApp, Client, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import { buildControl, ticketsCsv } from '../../helpers/factories.js';
import { upload, type UploadFile } from '../../helpers/multipart.js';
import { sampledControl, userByEmail } from '../../helpers/workpaper-fixture.js';
import { ChangeLog } from './changes.js';
import { formsOf, type FormFields } from './forms.js';
import { bodyOf, ENGAGEMENT_ROLES, SWEEP_ROWS, type EngagementRole, type FirmRole, type SweepRow } from './table.js';

export type Ids = Record<string, string>;

export interface Sweep {
  t: TestApp;
  e1: Ids;
  e2: Ids;
  /** Members of E1's team, one per engagement role; the partner is also on E2's team. */
  members: Record<EngagementRole, Client>;
  /** Users on no team, one per firm role (the administrator included). */
  outsiders: Record<FirmRole, Client>;
  forms: Map<string, FormFields>;
  changes: ChangeLog;
}

const ENGAGEMENT = '/engagements/:engagementId';
export const inEngagement = (r: { url: string }) => r.url === ENGAGEMENT || r.url.startsWith(`${ENGAGEMENT}/`);
export const keyOf = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
export const SECRETS = ['Nimbus', 'CC1.4-01', 'Stratus Cloud'];

/** Files rather than pages: workbooks, documents, PDFs, the archive, evidence. */
export const isDownload = (r: { url: string }) => /\.(xlsx|docx|csv)$|\/pdf$|\/export$|\/download$/.test(r.url);

/** Every route a signed-in person can reach (not the public ones, not static files). */
export function sweptRoutes(t: TestApp): RouteEntry[] {
  return t.app.routeTable.filter(
    (r) => !r.public && !r.url.startsWith('/static/') && (r.method === 'GET' || r.method === 'POST'),
  );
}

export function paramsOf(url: string): string[] {
  return [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
}

/** The route's URL with real ids; `swap` takes one parameter from the other engagement. */
export function urlOf(
  route: RouteEntry,
  ids: Ids,
  row: SweepRow | undefined,
  swap?: { param: string; from: Ids },
): string {
  return route.url.replace(/:(\w+)/g, (_, name: string) => {
    const key = row?.params?.[name] ?? name;
    const value = swap?.param === name ? (swap.from[key] ?? swap.from[name]) : ids[key];
    if (!value) throw new Error(`sweep fixture: no id for :${name} (${key}) of ${route.url}`);
    return value;
  });
}

const one = (t: TestApp, sql: string, ...args: unknown[]) =>
  String((t.app.conn.sqlite.prepare(sql).get(...args) as { id: number | string } | undefined)?.id ?? '');

async function userClient(t: TestApp, email: string, name: string, firmRole: string): Promise<Client> {
  t.app.conn.sqlite
    .prepare(
      "INSERT INTO users (email, name, firm_role, password_hash, created_at) SELECT ?, ?, ?, password_hash, '2025-01-01' FROM users WHERE email = 'staff@demo.tickmark.test'",
    )
    .run(email, name, firmRole);
  const client = new Client(t.app);
  const res = await client.login(email);
  if (res.statusCode !== 303) throw new Error(`sweep fixture: log-in as ${email} failed with ${res.statusCode}`);
  return client;
}

function join(t: TestApp, engagementId: string, email: string, role: string): void {
  t.app.conn.sqlite
    .prepare(
      'INSERT INTO engagement_members (engagement_id, user_id, role, role_since) SELECT ?, id, ?, ? FROM users WHERE email = ?',
    )
    .run(engagementId, role, new Date().toISOString(), email);
}

/** A conclusion softer than the figures, asked for by the demo staff member: an override awaiting a manager. */
function pendingOverride(t: TestApp, engagementId: string, controlId: string, conclusion: Conclusion): void {
  const { conn } = t.app;
  const scope = workpaperScope(conn.db, getEngagement(conn.db, Number(engagementId))!, Number(controlId))!;
  const staff = userByEmail(conn, 'staff@demo.tickmark.test');
  conn.db.transaction((tx) =>
    requestConclusionOverride(
      tx,
      staff,
      scope,
      loadWorkpaper(tx, scope, 'none'),
      conclusion,
      'Swept: the control is covered another way.',
    ),
  );
}

/**
 * An anomaly proposed by the demo staff member on the workpaper's first exception. The sweep's engagements are
 * SOC 2, where the app refuses anomalies, so the row is written directly: the decision routes then have a real
 * id to refuse (422 for the roles let in, 403 for the others, 404 across engagements).
 */
function proposedAnomaly(t: TestApp, engagementId: string, controlId: string): void {
  t.app.conn.sqlite
    .prepare(
      "INSERT INTO exception_anomalies (engagement_id, workpaper_id, exception_id, reason, exception_version, status, proposed_by, proposed_at) SELECT x.engagement_id, x.workpaper_id, x.id, 'Swept: not representative.', x.version, 'proposed', u.id, '2026-01-01T00:00:00.000Z' FROM exceptions x JOIN workpapers w ON w.id = x.workpaper_id JOIN users u ON u.email = 'staff@demo.tickmark.test' WHERE w.engagement_id = ? AND w.control_id = ? ORDER BY x.id LIMIT 1",
    )
    .run(engagementId, controlId);
}

/** The first sampled item with an exception record on a workpaper, and the rows hanging off that workpaper. */
function workpaperIds(t: TestApp, engagementId: string, controlId: string): Ids {
  const wp = t.app.conn.sqlite
    .prepare(
      'SELECT id, population_id AS populationId, sample_id AS sampleId FROM workpapers WHERE engagement_id = ? AND control_id = ?',
    )
    .get(engagementId, controlId) as { id: number; populationId: number; sampleId: number };
  const exception = t.app.conn.sqlite
    .prepare('SELECT sample_item_id AS item, attribute FROM exceptions WHERE workpaper_id = ? ORDER BY id LIMIT 1')
    .get(wp.id) as { item: number; attribute: string };
  return {
    controlId,
    populationId: String(wp.populationId),
    sampleId: String(wp.sampleId),
    workpaperId: String(wp.id),
    sampleItemId: String(exception.item),
    attribute: exception.attribute,
    evidenceId: one(
      t,
      'SELECT id FROM evidence_files WHERE workpaper_id = ? AND superseded_by_id IS NULL ORDER BY id LIMIT 1',
      wp.id,
    ),
    noteId: one(t, 'SELECT id FROM review_notes WHERE workpaper_id = ? ORDER BY id LIMIT 1', wp.id),
    overrideId: one(t, 'SELECT id FROM workpaper_overrides WHERE workpaper_id = ? ORDER BY id LIMIT 1', wp.id),
    anomalyId: one(t, 'SELECT id FROM exception_anomalies WHERE workpaper_id = ? ORDER BY id LIMIT 1', wp.id),
  };
}

function engagementIds(t: TestApp, engagementId: string): Ids {
  return {
    engagementId,
    memberId: one(t, "SELECT id FROM engagement_members WHERE engagement_id = ? AND role = 'senior'", engagementId),
    orgId: one(t, 'SELECT id FROM subservice_orgs WHERE engagement_id = ? ORDER BY id LIMIT 1', engagementId),
    complementaryId: one(
      t,
      'SELECT id FROM complementary_controls WHERE engagement_id = ? ORDER BY id LIMIT 1',
      engagementId,
    ),
    tickmarkId: one(t, 'SELECT id FROM tickmarks WHERE engagement_id = ? ORDER BY id DESC LIMIT 1', engagementId),
    objectiveId: one(t, 'SELECT id FROM control_objectives WHERE engagement_id = ? ORDER BY id LIMIT 1', engagementId),
    importId: one(
      t,
      'SELECT id FROM control_imports WHERE engagement_id = ? ORDER BY created_at LIMIT 1',
      engagementId,
    ),
    requestId: one(t, 'SELECT id FROM pbc_requests WHERE engagement_id = ? ORDER BY id LIMIT 1', engagementId),
    limitationId: one(t, 'SELECT id FROM scope_limitations WHERE engagement_id = ? ORDER BY id LIMIT 1', engagementId),
    exclusionId: one(
      t,
      'SELECT id FROM criterion_exclusions WHERE engagement_id = ? ORDER BY id LIMIT 1',
      engagementId,
    ),
    assertionId: one(
      t,
      'SELECT id FROM management_assertions WHERE engagement_id = ? ORDER BY id LIMIT 1',
      engagementId,
    ),
  };
}

const MATRIX_CSV =
  'Reference,Description,Owner,Frequency,Nature,Type,Key,Risk,Criteria,Procedures,Attributes\nSW-IMP,Sweep control.,Ops,event-driven,manual,preventive,yes,lower,CC6.1,inspection: Inspected it.,It was approved.\n';

/** Gives E2 one real row of each kind a URL names, through the same services and routes the app uses. */
async function fillSecond(t: TestApp, partner: Client, e2: string): Promise<Ids> {
  const { conn } = t.app;
  const actor = userByEmail(conn, 'partner@demo.tickmark.test');
  const fx = await sampledControl(conn, t.dir, Number(e2), { reference: 'SW-E2' });
  const item = one(t, 'SELECT id FROM sample_items WHERE sample_id = ? ORDER BY sequence LIMIT 1', fx.sampleId);
  await partner.get(fx.url);
  await partner.post(
    `${fx.url}/cells`,
    { item, attribute: 'B', result: 'exception', naReason: '', version: '0' },
    { 'hx-request': 'true' },
  );
  await partner.post(`${fx.url}/items/${item}/exceptions/B`, {
    description: 'Deployed before approval.',
    status: 'open',
    version: '0',
  });
  const evidence = await upload(
    t.app,
    partner,
    `${fx.url}/evidence`,
    {},
    { name: 'approval.pdf', content: '%PDF-1.4\n%%EOF\n' },
  );
  if (evidence.statusCode !== 303) throw new Error(`sweep fixture: E2 evidence upload answered ${evidence.statusCode}`);
  const wp = one(t, 'SELECT id FROM workpapers WHERE population_id = ?', fx.populationId);
  await partner.post(`/engagements/${e2}/workpapers/${wp}/notes`, { body: 'Attach the approval.' });
  await partner.post(`/engagements/${e2}/pbc`, { description: 'Change tickets for the year.' });
  const assertion = await upload(
    t.app,
    partner,
    `/engagements/${e2}/assertion`,
    { version: '0', signerName: 'Dana Whitfield', signerTitle: 'CEO', signedOn: '2026-02-20' },
    { name: 'assertion.pdf', content: '%PDF-1.4\n%assertion\n%%EOF\n' },
  );
  if (assertion.statusCode !== 303)
    throw new Error(`sweep fixture: E2 assertion upload answered ${assertion.statusCode}`);
  conn.sqlite
    .prepare(
      "INSERT INTO control_objectives (engagement_id, reference, text, position) VALUES (?, 'CO-E2', 'Changes are authorised.', 1)",
    )
    .run(e2);
  savePendingImport(
    conn.db,
    actor,
    Number(e2),
    'matrix.csv',
    MATRIX_CSV.trim()
      .split('\n')
      .map((l) => l.split(',')),
  );
  addScopeLimitation(conn.db, actor, Number(e2), 'CC6.1', 'Access logs were not retained.');
  markNotApplicable(conn.db, actor, Number(e2), 'CC9.1', 'The system has no business disruption risk in scope.');
  pendingOverride(t, e2, String(fx.controlId), 'exceptions-effective');
  proposedAnomaly(t, e2, String(fx.controlId));
  return { ...engagementIds(t, e2), ...workpaperIds(t, e2, String(fx.controlId)) };
}

/** What E1 needs beyond the demo: a control with no population, an uploaded draft, an objective, an import, a limitation. */
function fillFirst(t: TestApp, e1: string): Ids {
  const { conn } = t.app;
  const actor = userByEmail(conn, 'partner@demo.tickmark.test');
  const engagement = getEngagement(conn.db, Number(e1))!;
  const empty = buildControl(t, Number(e1), { reference: 'SW-EMPTY' });
  const mapped = buildControl(t, Number(e1), { reference: 'SW-DRAFT' });
  mkdirSync(path.join(t.dir, 'uploads'), { recursive: true });
  const file = path.join(t.dir, 'uploads', `${randomUUID()}.upload`);
  writeFileSync(file, ticketsCsv(30));
  const draft = createUploadedPopulation(conn.db, actor, engagement, findControl(conn.db, Number(e1), mapped)!, {
    file,
    kind: 'csv',
    sourceFile: 'changes.csv',
    columns: ['Change ID', 'Deployed', 'Summary', 'Amount'],
    windowIndex: 0,
  });
  conn.sqlite
    .prepare(
      "INSERT INTO control_objectives (engagement_id, reference, text, position) VALUES (?, 'CO-E1', 'Changes are authorised.', 1)",
    )
    .run(e1);
  savePendingImport(
    conn.db,
    actor,
    Number(e1),
    'matrix.csv',
    MATRIX_CSV.trim()
      .split('\n')
      .map((l) => l.split(',')),
  );
  addScopeLimitation(conn.db, actor, Number(e1), 'CC6.1', 'Access logs were not retained.');
  // CC9.1 and CC9.2 lose their controls: one is marked not applicable (to remove), the other is free to mark.
  conn.sqlite
    .prepare(
      "DELETE FROM control_mappings WHERE criterion_id IN ('CC9.1', 'CC9.2') AND control_id IN (SELECT id FROM controls WHERE engagement_id = ?)",
    )
    .run(e1);
  markNotApplicable(conn.db, actor, Number(e1), 'CC9.1', 'The system has no business disruption risk in scope.');
  const control = one(t, "SELECT id FROM controls WHERE engagement_id = ? AND reference = 'CC1.4-01'", e1);
  proposedAnomaly(t, e1, control);
  // The override awaits a decision on another workpaper than the one the other routes use: it blocks "prepared".
  const overrideControl = one(t, "SELECT id FROM controls WHERE engagement_id = ? AND reference = 'CC6.3-01'", e1);
  pendingOverride(t, e1, overrideControl, 'no-testing');
  const overrideWorkpaper = one(t, 'SELECT id FROM workpapers WHERE control_id = ?', overrideControl);
  const trusted = conn.sqlite
    .prepare(
      "INSERT INTO trusted_keys (label, public_key, fingerprint, added_by, added_at) VALUES ('Sweep office', 'AAAA', ?, ?, '2026-01-01T00:00:00.000Z')",
    )
    .run(randomUUID(), actor.id);
  return {
    keyId: String(trusted.lastInsertRowid),
    ...engagementIds(t, e1),
    ...workpaperIds(t, e1, control),
    emptyControlId: String(empty),
    overrideControlId: overrideControl,
    overridePopulationId: one(t, 'SELECT population_id AS id FROM workpapers WHERE id = ?', overrideWorkpaper),
    overrideId: one(t, 'SELECT id FROM workpaper_overrides WHERE workpaper_id = ?', overrideWorkpaper),
    periodicControlId: one(t, "SELECT id FROM controls WHERE engagement_id = ? AND reference = 'CC4.2-01'", e1),
    draftPopulationId: String(draft.id),
    periodicPopulationId: one(
      t,
      "SELECT p.id FROM populations p JOIN controls c ON c.id = p.control_id WHERE c.engagement_id = ? AND c.reference = 'CC4.2-01' AND p.status = 'draft' ORDER BY p.id LIMIT 1",
      e1,
    ),
    userId: one(t, "SELECT id FROM users WHERE email = 'outside-staff@sweep.test'"),
    partnerUserId: one(t, "SELECT id FROM users WHERE email = 'partner@demo.tickmark.test'"),
  };
}

/** The forms of every page of E1 the partner and the quality reviewer see, and of the firm's own pages. */
async function crawlForms(s: Omit<Sweep, 'forms' | 'changes'>): Promise<Map<string, FormFields>> {
  const forms = new Map<string, FormFields>();
  const read = async (client: Client, url: string) => {
    for (const [action, fields] of formsOf((await client.get(url)).body))
      if (!forms.has(action)) forms.set(action, fields);
  };
  for (const route of sweptRoutes(s.t).filter((r) => r.method === 'GET' && inEngagement(r) && !isDownload(r))) {
    const row = SWEEP_ROWS[keyOf(route)];
    await read(s.members.partner, urlOf(route, s.e1, row));
  }
  await read(s.members.eqr, `/engagements/${s.e1.engagementId}/opinion`);
  for (const url of ['/engagements/new', '/engagements/import', '/account/password'])
    await read(s.members.partner, url);
  await read(s.outsiders.admin, '/admin/users');
  await read(s.outsiders.admin, '/admin/methodology');
  return forms;
}

export async function buildSweep(): Promise<Sweep> {
  const t = await buildTestApp({ keep: true });
  const e1 = String(demoEngagementId(t));
  const partner = await loginAs(t.app, 'partner');
  const next = rollForward(
    t.app.conn.db,
    userByEmail(t.app.conn, 'partner@demo.tickmark.test'),
    Number(e1),
    { periodStart: '2026-01-01', periodEnd: '2026-12-31', plannedReportDate: null },
    configuredMethodology(t.app.config),
  );
  // Same period as E1, so the fixture's 2025 population has items to sample.
  t.app.conn.sqlite
    .prepare("UPDATE engagements SET period_start = '2025-01-01', period_end = '2025-12-31' WHERE id = ?")
    .run(next.id);
  const e2 = await fillSecond(t, partner, String(next.id));
  const outsiders = {
    staff: await userClient(t, 'outside-staff@sweep.test', 'Olga Outside', 'staff'),
    senior: await userClient(t, 'outside-senior@sweep.test', 'Sam Outside', 'senior'),
    manager: await userClient(t, 'outside-manager@sweep.test', 'Mo Outside', 'manager'),
    partner: await userClient(t, 'outside-partner@sweep.test', 'Pat Outside', 'partner'),
    admin: await loginAs(t.app, 'admin'),
  };
  // The demo team holds staff, senior, manager and partner; any other role gets a partner of the firm in it.
  const members = {} as Record<EngagementRole, Client>;
  for (const role of ENGAGEMENT_ROLES) {
    if (role === 'partner') members[role] = partner;
    else if (role === 'staff' || role === 'senior' || role === 'manager') members[role] = await loginAs(t.app, role);
    else {
      members[role] = await userClient(t, `${role}@sweep.test`, `Member as ${role}`, 'partner');
      join(t, e1, `${role}@sweep.test`, role);
    }
  }
  const base = { t, e1: fillFirst(t, e1), e2, members, outsiders };
  const forms = await crawlForms(base);
  return { ...base, forms, changes: new ChangeLog(t.app.conn.sqlite) };
}

/** Adds a member of E1's team in `role` and logs them in (for the deactivated user's kept cookie). */
export async function newMember(s: Sweep, email: string, firmRole: string, role: string): Promise<Client> {
  const client = await userClient(s.t, email, 'Lee Leaver', firmRole);
  join(s.t, s.e1.engagementId!, email, role);
  return client;
}

/** Sends the route's real request: its form's fields (or the row's body), multipart when it uploads a file. */
export async function send(s: Sweep, client: Client, route: RouteEntry, url: string): Promise<LightMyRequestResponse> {
  if (route.method === 'GET') return client.get(url);
  const row = SWEEP_ROWS[keyOf(route)];
  const fields = { ...(s.forms.get(url) ?? {}), ...bodyOf(row, s.e1) };
  if (row?.file)
    return upload(
      s.t.app,
      client,
      url,
      Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])),
      row.file as UploadFile,
    );
  return client.post(url, fields);
}

/**
 * Runs an allowed request inside a transaction that is then rolled back, so the sweep can go on from the same
 * state; says whether the request wrote anything.
 */
export async function withRollback<T>(s: Sweep, call: () => Promise<T>): Promise<{ result: T; wrote: string[] }> {
  const { sqlite } = s.t.app.conn;
  sqlite.exec('BEGIN');
  try {
    const mark = s.changes.mark();
    const result = await call();
    // An import a request started must finish inside the transaction, or its writes would outlive the rollback.
    const importing = sqlite.prepare("SELECT count(*) AS n FROM populations WHERE status = 'importing'");
    for (let waited = 0; (importing.get() as { n: number }).n > 0 && waited < 10_000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    return { result, wrote: s.changes.since(mark) };
  } finally {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
  }
}
