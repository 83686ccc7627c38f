// The break of issue 12, item 1: a consistent forgery (manifest recomputed) in which a staff user is engagement
// partner, the administrator a manager, and the real partner "approved, reviewed and archived" on a chosen date,
// with an empty original trail. It must give no one here any power.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { appendAudit, entryHash, type HashedFields } from '../../../src/core/audit/trail.js';
import { loadInstanceKey, type InstanceKey } from '../../../src/core/signing/index.js';
import { buildTestApp, Client, demoEngagementId, loginAs, type TestApp } from '../../helpers/app.js';
import {
  evidenceStore,
  exportArchive,
  forge,
  importArchive,
  rezip,
  rowCounts,
  unzip,
  type Entries,
} from './archive-helpers.js';

const P = 'partner@demo.tickmark.test';
const S = 'staff@demo.tickmark.test';
const A = 'admin@demo.tickmark.test';
const CHOSEN = '2026-01-15T09:00:00.000Z';

type Row = Record<string, unknown>;
interface Data {
  users: { email: string; name: string; firmRole: string }[];
  tables: Record<string, Row[]>;
}

/** The forged engagement.json, with an empty original trail unless the real one is kept. */
function forgedFiles(
  entries: Entries,
  change: (data: Data) => void = forgeTeam,
  trail: 'empty' | 'kept' = 'empty',
): Record<string, Buffer> {
  const data = JSON.parse(entries.get('engagement.json')!.toString()) as Data;
  change(data);
  const files = { 'engagement.json': Buffer.from(JSON.stringify(data)) };
  return trail === 'kept'
    ? files
    : {
        ...files,
        'audit-trail.json': Buffer.from(JSON.stringify({ format: 'tickmark-audit-trail-v1', entries: [], links: [] })),
      };
}

function forgeTeam(data: Data): void {
  const engagement = data.tables.engagements![0]!;
  const eid = engagement.id;
  if (!data.users.some((u) => u.email === A)) data.users.push({ email: A, name: 'Alex Morgan', firmRole: 'admin' });
  const members = data.tables.engagement_members!.filter((m) => m.user_id !== P);
  for (const m of members) if (m.user_id === S) m.role = 'partner';
  members.push({ id: 9000, engagement_id: eid, user_id: A, role: 'manager' });
  data.tables.engagement_members = members;
  data.tables.opinion_decisions = [
    {
      engagement_id: eid,
      approved_type: 'unqualified',
      proposed_type: 'unqualified',
      approved_by: P,
      approved_at: CHOSEN,
      updated_at: CHOSEN,
    },
  ];
  Object.assign(engagement, {
    locked_at: CHOSEN,
    locked_by: P,
    archived_at: CHOSEN,
    archived_by: P,
    status: 'archived',
  });
  data.tables.signoffs = (data.tables.workpapers ?? []).map((w, i) => ({
    id: 9000 + i,
    engagement_id: eid,
    workpaper_id: w.id,
    level: 'reviewed',
    user_id: P,
    signed_at: CHOSEN,
  }));
}

/** Every column that refers to a user (declared foreign keys, and engagements.locked_by), read from SQLite itself. */
function userColumns(sqlite: Database.Database): [string, string][] {
  const tables = (
    sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
      name: string;
    }[]
  ).map((t) => t.name);
  const declared = tables.flatMap((t) =>
    (sqlite.prepare(`PRAGMA foreign_key_list("${t}")`).all() as { table: string; from: string }[])
      .filter((fk) => fk.table === 'users')
      .map((fk) => [t, fk.from] as [string, string]),
  );
  return [...declared, ['engagements', 'locked_by']];
}

/** How many rows refer to each local account (not recorded people). */
function referencesToAccounts(sqlite: Database.Database): Record<string, number> {
  const accounts = sqlite.prepare('SELECT id, email FROM users WHERE recorded_email IS NULL').all() as {
    id: number;
    email: string;
  }[];
  const out: Record<string, number> = {};
  for (const a of accounts)
    out[a.email] = userColumns(sqlite).reduce(
      (n, [t, c]) =>
        n + (sqlite.prepare(`SELECT count(*) AS n FROM "${t}" WHERE "${c}" = ?`).get(a.id) as { n: number }).n,
      0,
    );
  return out;
}

const newest = (t: TestApp) =>
  (t.app.conn.sqlite.prepare('SELECT max(id) AS id FROM engagements').get() as { id: number }).id;
const keyOf = (t: TestApp) => loadInstanceKey(t.config.dataDir);

async function setUp(): Promise<{ t: TestApp; eid: number; manager: Client; entries: Entries }> {
  const t = await buildTestApp();
  const eid = demoEngagementId(t);
  const manager = await loginAs(t.app, 'manager');
  return { t, eid, manager, entries: await unzip(await exportArchive(manager, eid)) };
}

describe('a forged but consistent archive', () => {
  it('unsigned, imports only as an unverified copy that gives no one here any power', async () => {
    const { t, eid, manager, entries } = await setUp();
    const before = referencesToAccounts(t.app.conn.sqlite);
    const res = await importArchive(t, manager, await rezip(forge(entries, forgedFiles(entries), null)));
    expect(res.statusCode, res.body).toBe(303);
    const copy = newest(t);
    expect(copy).not.toBe(eid);
    const landing = await manager.get(String(res.headers.location));
    expect(landing.body).toContain('It is an UNVERIFIED COPY because the archive is not signed');

    // No local account gained a single reference, except the importer's one membership, as viewer.
    const after = referencesToAccounts(t.app.conn.sqlite);
    expect(after).toEqual({ ...before, 'manager@demo.tickmark.test': before['manager@demo.tickmark.test']! + 1 });
    const team = t.app.conn.sqlite
      .prepare(
        'SELECT coalesce(u.recorded_email, u.email) AS email, m.role, u.recorded_email IS NOT NULL AS recorded, u.active FROM engagement_members m JOIN users u ON u.id = m.user_id WHERE m.engagement_id = ? ORDER BY m.role',
      )
      .all(copy);
    expect(team).toEqual(
      expect.arrayContaining([
        { email: S, role: 'partner', recorded: 1, active: 0 },
        { email: A, role: 'manager', recorded: 1, active: 0 },
        { email: 'manager@demo.tickmark.test', role: 'viewer', recorded: 0, active: 1 },
      ]),
    );

    for (const who of ['staff', 'partner', 'admin', 'senior'] as const) {
      const client = await loginAs(t.app, who);
      expect([who, (await client.get(`/engagements/${copy}`)).statusCode]).toEqual([who, 404]);
      expect((await client.get('/engagements')).body).not.toContain(`/engagements/${copy}"`);
    }

    // The importer reads, marked on every page, and can change nothing.
    const overview = await manager.get(`/engagements/${copy}`);
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('<title>Unverified copy');
    expect(overview.body).toContain('unverified-banner');
    const teamPage = await manager.get(`/engagements/${copy}/team`);
    expect(teamPage.body).toContain(`Priya Shah (recorded: ${S})`);
    expect(teamPage.body).not.toContain('Add to the team');
    const writes: [string, Record<string, string>][] = [
      [`/engagements/${copy}/edit`, { clientName: 'Renamed' }],
      [`/engagements/${copy}/team`, { userId: '1', role: 'partner' }],
      [`/engagements/${copy}/opinion/unlock`, { reason: 'Reopen' }],
      [`/engagements/${copy}/archive`, { confirm: 'yes' }],
      [`/engagements/${copy}/roll-forward`, { periodStart: '2026-01-01', periodEnd: '2026-12-31' }],
    ];
    const counts = rowCounts(t.app.conn.sqlite);
    for (const [url, form] of writes) expect([url, (await manager.post(url, form)).statusCode]).toEqual([url, 423]);
    expect(rowCounts(t.app.conn.sqlite)).toEqual(counts);
    expect((await manager.get(`/engagements/${copy}/archive/export`)).statusCode).toBe(403);

    // Printouts say so too, and name the people as recorded.
    const wp = t.app.conn.sqlite
      .prepare(
        'SELECT c.id AS controlId, p.id AS populationId FROM controls c JOIN populations p ON p.control_id = c.id JOIN workpapers w ON w.population_id = p.id WHERE c.engagement_id = ? LIMIT 1',
      )
      .get(copy) as { controlId: number; populationId: number };
    const print = await manager.get(`/engagements/${copy}/controls/${wp.controlId}/workpaper/${wp.populationId}/print`);
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('class="wp-unverified"');
    expect(print.body).toContain(`(recorded: ${P})`);
    for (const file of ['section-iv.docx', 'section-i.docx', 'section-iv.xlsx']) {
      const doc = await unzip((await manager.get(`/engagements/${copy}/reports/${file}`)).rawPayload);
      expect([file, doc.get('docProps/core.xml')!.toString()]).toEqual([
        file,
        expect.stringContaining('UNVERIFIED COPY'),
      ]);
    }

    // The recorded people are not accounts: never listed, never candidates, never logged in.
    const admin = await loginAs(t.app, 'admin');
    expect((await admin.get('/admin/users')).body).not.toContain('(recorded:');
    const recordedId = (
      t.app.conn.sqlite.prepare('SELECT id FROM users WHERE recorded_email = ?').get(S) as { id: number }
    ).id;
    expect((await admin.post(`/admin/users/${recordedId}/active`, {})).statusCode).toBe(404);
    expect((await manager.get(`/engagements/${eid}/team`)).body).not.toContain('(recorded:');
    const placeholder = (
      t.app.conn.sqlite.prepare('SELECT email FROM users WHERE id = ?').get(recordedId) as { email: string }
    ).email;
    expect((await new Client(t.app).login(placeholder, '!imported-without-password')).statusCode).toBe(401);
  });

  it('signed again with a trusted key, is refused by the team check, writing nothing', async () => {
    const { t, manager, entries } = await setUp();
    const counts = rowCounts(t.app.conn.sqlite);
    const store = evidenceStore(t.config.dataDir);
    const cases: [string, Record<string, Buffer>, string][] = [
      [
        'the administrator on the team',
        forgedFiles(entries, forgeTeam, 'kept'),
        `${A} is an administrator here, and an administrator is never on an engagement team`,
      ],
      [
        'staff as engagement partner',
        forgedFiles(
          entries,
          (d) => {
            forgeTeam(d);
            d.tables.engagement_members = d.tables.engagement_members!.filter((m) => m.user_id !== A);
          },
          'kept',
        ),
        `${S} is the engagement partner in the archive but a staff here`,
      ],
      [
        'the real partner approving for a team he is not the partner of',
        forgedFiles(
          entries,
          (d) => {
            forgeTeam(d);
            d.tables.engagement_members = d.tables.engagement_members!.filter(
              (m) => m.user_id !== A && m.user_id !== S,
            );
            d.users.push({ email: 'other.partner@elsewhere.test', name: 'Olga Other', firmRole: 'partner' });
            d.tables.engagement_members.push({
              id: 9001,
              engagement_id: d.tables.engagements![0]!.id,
              user_id: 'other.partner@elsewhere.test',
              role: 'partner',
            });
          },
          'kept',
        ),
        `approving the opinion was done by ${P}, who is not its engagement partner`,
      ],
    ];
    for (const [what, files, message] of cases) {
      const res = await importArchive(t, manager, await rezip(forge(entries, files, keyOf(t))));
      expect([what, res.statusCode]).toEqual([what, 422]);
      expect(res.body, what).toContain('its team breaks this firm’s rules');
      expect(res.body, what).toContain(message);
      expect(rowCounts(t.app.conn.sqlite), what).toEqual(counts);
      expect(evidenceStore(t.config.dataDir), what).toEqual(store);
    }
    const honestTeamNoTrail = forgedFiles(entries, () => undefined);
    const empty = await importArchive(t, manager, await rezip(forge(entries, honestTeamNoTrail, keyOf(t))));
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('its original audit trail is empty');
    expect(rowCounts(t.app.conn.sqlite)).toEqual(counts);
  });

  it('is unverified when altered after signing or signed by a key not trusted; an administrator may not import it', async () => {
    const { t, manager, entries } = await setUp();
    const altered = forge(entries, forgedFiles(entries), null).set('manifest.sig', entries.get('manifest.sig')!);
    const stale = await importArchive(t, manager, await rezip(altered));
    expect(stale.statusCode).toBe(303);
    expect((await manager.get(String(stale.headers.location))).body).toContain(
      'its signature does not match its manifest',
    );
    const stranger: InstanceKey = loadInstanceKey(mkdirSync(path.join(t.dir, 'stranger'), { recursive: true })!);
    const foreign = await importArchive(t, manager, await rezip(forge(entries, {}, stranger)));
    expect(foreign.statusCode).toBe(303);
    expect((await manager.get(String(foreign.headers.location))).body).toContain(
      'it is signed by a key this instance does not trust',
    );

    const admin = await loginAs(t.app, 'admin');
    const counts = rowCounts(t.app.conn.sqlite);
    const refused = await importArchive(t, admin, await rezip(forge(entries, {}, null)));
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('an administrator is never on an engagement team');
    expect(rowCounts(t.app.conn.sqlite)).toEqual(counts);

    // The honest archive, as exported: signed by this instance, verified, the team as it was.
    const honest = await importArchive(t, admin, await rezip(entries));
    expect(honest.statusCode).toBe(303);
    expect((await admin.get(String(honest.headers.location))).body).toContain('Verified: signed by this instance');
    expect(t.app.conn.sqlite.prepare('SELECT unverified_reason FROM engagements WHERE id = ?').get(newest(t))).toEqual({
      unverified_reason: null,
    });
  });

  it('signed by a trusted key but with its trail rewritten before export, is refused by the checkpoints it carries', async () => {
    const t = await buildTestApp();
    const eid = demoEngagementId(t);
    const manager = await loginAs(t.app, 'manager');
    // The demo seeds a second engagement after this one: a last change to this one makes the instance's chain head,
    // which the start-up checkpoint signs, an entry of this engagement's trail.
    appendAudit(t.app.conn.db, null, {
      engagementId: eid,
      entity: 'engagement',
      entityId: eid,
      action: 'update',
      changes: { systemName: ['before', 'after'] },
    });
    t.app.trailAnchor.checkpoint('start');
    const entries = await unzip(await exportArchive(manager, eid));
    const checkpoints = entries
      .get('trail-checkpoints.jsonl')!
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number });
    const trail = JSON.parse(entries.get('audit-trail.json')!.toString()) as {
      entries: (HashedFields & { id: number; hash: string })[];
    };
    const signed = checkpoints.map((c) => trail.entries.find((e) => e.id === c.id)).find((e) => e !== undefined)!;
    expect(signed, 'a checkpoint the archive carries signs an entry of the engagement').toBeDefined();
    signed.changes = JSON.stringify({ approvedType: [null, 'unqualified'] });
    signed.hash = entryHash(signed);
    const counts = rowCounts(t.app.conn.sqlite);
    const res = await importArchive(
      t,
      manager,
      await rezip(forge(entries, { 'audit-trail.json': Buffer.from(JSON.stringify(trail)) }, keyOf(t))),
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(
      `entry ${signed.id} is not the entry the exporting instance signed in its checkpoint of`,
    );
    expect(rowCounts(t.app.conn.sqlite)).toEqual(counts);
  });
});
