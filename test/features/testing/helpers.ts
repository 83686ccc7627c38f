import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, demoEngagementId, loginAs, type Client, type TestApp } from '../../helpers/app.js';
import { sampledControl, type SampledControlOptions } from '../../helpers/workpaper-fixture.js';

export const rows = (t: TestApp, sql: string, ...args: unknown[]) =>
  t.app.conn.sqlite.prepare(sql).all(...args) as Record<string, unknown>[];

export interface Workpaper {
  t: TestApp;
  eid: number;
  url: string;
  sampleId: number;
  controlId: number;
  staff: Client;
  /** Sample item ids in selection order. */
  items: number[];
  keyOf(item: number): string;
  mark(
    client: Client,
    item: number,
    attribute: string,
    result: string,
    version?: number,
    naReason?: string,
  ): Promise<LightMyRequestResponse>;
}

/** A fresh control with a 25-item sample (3 attributes), the demo staff member logged in and on its workpaper. */
export async function workpaper(
  options: SampledControlOptions & { env?: Record<string, string> } = {},
): Promise<Workpaper> {
  const t = await buildTestApp({ env: options.env });
  const eid = demoEngagementId(t);
  const fx = await sampledControl(t.app.conn, t.dir, eid, options);
  const staff = await loginAs(t.app, 'staff');
  await staff.get(fx.url);
  const items = rows(t, 'SELECT id FROM sample_items WHERE sample_id = ? ORDER BY sequence', fx.sampleId).map((r) =>
    Number(r.id),
  );
  const keys = new Map(
    rows(
      t,
      'SELECT si.id, pi.key FROM sample_items si JOIN population_items pi ON pi.id = si.population_item_id WHERE si.sample_id = ?',
      fx.sampleId,
    ).map((r) => [Number(r.id), String(r.key)]),
  );
  return {
    t,
    eid,
    url: fx.url,
    sampleId: fx.sampleId,
    controlId: fx.controlId,
    staff,
    items,
    keyOf: (item) => keys.get(item)!,
    mark: (client, item, attribute, result, version = 0, naReason = '') =>
      client.post(
        `${fx.url}/cells`,
        { item: String(item), attribute, result, version: String(version), naReason },
        { 'hx-request': 'true' },
      ),
  };
}

/** Marks every blank cell as passed, column by column, as the bulk buttons do. */
export async function passAll(w: Workpaper, client = w.staff): Promise<void> {
  for (const attribute of ['A', 'B', 'C']) await client.post(`${w.url}/bulk-pass`, { attribute });
}

/** One exception with its record written, on item `index`, attribute B. */
export async function exceptionOn(
  w: Workpaper,
  index: number,
  description = 'the change was deployed before it was approved',
): Promise<void> {
  await w.mark(w.staff, w.items[index]!, 'B', 'exception');
  await w.staff.post(`${w.url}/items/${w.items[index]}/exceptions/B`, {
    description,
    managementResponse: 'Agreed; the pipeline now blocks unapproved deployments.',
    status: 'resolved',
    nature: 'isolated',
  });
}

/** The workpaper's version as its conclusion and wording forms carry it. */
export const formVersion = (w: Workpaper) =>
  String(rows(w.t, 'SELECT version FROM workpapers WHERE sample_id = ?', w.sampleId)[0]?.version ?? 0);
