import type { Tx } from '../../db/connection.js';
import { engagementMembers, subserviceOrgs, type FirmRole } from '../../db/schema/index.js';
import { appendAudit } from '../../core/audit/trail.js';
import { insertEngagement, type EngagementRow, type NewEngagement } from '../../core/engagement/queries.js';
import { DEFAULT_METHODOLOGY } from '../../domain/methodology.js';
import { startingMethodology } from '../methodology/index.js';
import { seedDemoComplementaryControls, seedDemoControls } from './control-matrix.js';

/** A demo engagement opened by the demo senior (in the trail) with Tickmark's default methodology and the demo
 * users on its team in their firm roles. */
export function insertDemoEngagement(
  tx: Tx,
  userIds: Map<FirmRole, number>,
  fields: Omit<NewEngagement, 'methodology'>,
): EngagementRow {
  const engagement = insertEngagement(tx, { ...fields, methodology: startingMethodology(tx, DEFAULT_METHODOLOGY) });
  const seniorId = userIds.get('senior') ?? null;
  appendAudit(tx, seniorId, {
    engagementId: engagement.id,
    entity: 'engagement',
    entityId: engagement.id,
    action: 'create',
    changes: { clientName: [null, engagement.clientName] },
  });
  for (const role of ['staff', 'senior', 'manager', 'partner'] as const) {
    const userId = userIds.get(role);
    if (userId) tx.insert(engagementMembers).values({ engagementId: engagement.id, userId, role }).run();
  }
  return engagement;
}

/** The demo SOC 2 Type II engagement for a fictional SaaS company, with its team in matching roles. */
export function seedDemoEngagement(tx: Tx, userIds: Map<FirmRole, number>): number {
  const engagement = insertDemoEngagement(tx, userIds, {
    clientName: 'Nimbus Ledger, Inc.',
    systemName: 'Nimbus Ledger cloud accounting platform',
    framework: 'soc2',
    reportType: 'type2',
    periodStart: '2025-01-01',
    periodEnd: '2025-12-31',
    plannedReportDate: '2026-02-27',
    categories: ['availability'],
    status: 'fieldwork',
  });
  const seniorId = userIds.get('senior') ?? null;
  const orgs = tx
    .insert(subserviceOrgs)
    .values([
      {
        engagementId: engagement.id,
        name: 'Stratus Cloud Services',
        services: 'Infrastructure hosting (IaaS): data centres, physical security, hardware',
        method: 'carve-out',
      },
      {
        engagementId: engagement.id,
        name: 'PayRelay Ltd',
        services: 'Card payment processing for subscription billing',
        method: 'carve-out',
      },
    ])
    .returning()
    .all();
  seedDemoControls(tx, engagement.id, engagement.periodStart, seniorId);
  seedDemoComplementaryControls(tx, engagement.id, new Map(orgs.map((o) => [o.name, o.id])));
  return engagement.id;
}
