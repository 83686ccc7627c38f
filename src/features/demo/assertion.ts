// A demo engagement's management assertion (ISAE: the service organisation's statement), recorded by the
// manager, so the opinion page shows it on record and the partner's approval is not held up by it.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Connection } from '../../db/connection.js';
import { users } from '../../db/schema/index.js';
import { recordAssertion } from '../assertion/index.js';
import { EvidenceStorage } from '../../core/files/storage.js';
import { textPdf } from './evidence-files.js';

export interface DemoAssertion {
  signerName: string;
  signerTitle: string;
  signedOn: string;
  fileName: string;
  lines: string[];
}

const NIMBUS_ASSERTION: DemoAssertion = {
  signerName: 'Dana Whitfield',
  signerTitle: 'Chief Executive Officer',
  signedOn: '2026-02-20',
  fileName: 'management-assertion-signed.pdf',
  lines: [
    "Nimbus Ledger, Inc.'s assertion",
    'We have prepared the description of the Nimbus Ledger cloud accounting platform',
    'throughout the period January 1, 2025 to December 31, 2025 ...',
    'Signed: Dana Whitfield, Chief Executive Officer, February 20, 2026',
  ],
};

export async function seedDemoAssertion(
  conn: Connection,
  engagementId: number,
  dataDir: string,
  signed: DemoAssertion = NIMBUS_ASSERTION,
): Promise<void> {
  const storage = EvidenceStorage.under(dataDir);
  const temp = path.join(storage.incomingDir, `${randomUUID()}.upload`);
  mkdirSync(path.dirname(temp), { recursive: true });
  writeFileSync(temp, textPdf(signed.lines));
  const blob = await storage.put(temp);
  const manager = conn.db.select().from(users).where(eq(users.email, 'manager@demo.tickmark.test')).get()!;
  const actor = {
    id: manager.id,
    email: manager.email,
    name: manager.name,
    firmRole: manager.firmRole,
    mustChangePassword: false,
  };
  const facts = { signerName: signed.signerName, signerTitle: signed.signerTitle, signedOn: signed.signedOn };
  recordAssertion(conn.db, actor, engagementId, facts, { ...blob, originalName: signed.fileName, fileType: 'pdf' }, 0);
}
