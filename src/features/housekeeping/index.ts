// Start-up and hourly housekeeping of the data directory: leftovers of interrupted work are removed at start-up,
// unreferenced evidence content is collected once past its grace period; both are logged.
import type { FastifyInstance } from 'fastify';
import { EvidenceStorage } from '../../core/files/storage.js';
import { collectUnreferencedEvidence } from './evidence-collector.js';
import { removeLeftovers } from './leftovers.js';

const HOUR = 3_600_000;

export async function startHousekeeping(app: FastifyInstance): Promise<void> {
  const { config } = app;
  const { db } = app.conn;
  const graceMs = config.evidenceGraceHours * HOUR;
  const leftovers = removeLeftovers(db, config.dataDir, config.dbPath, new Date(Date.now() - graceMs));
  if (leftovers.length > 0) {
    const bytes = leftovers.reduce((n, l) => n + l.bytes, 0);
    app.log.info({ leftovers }, `removed ${leftovers.length} leftovers of interrupted work (${bytes} bytes)`);
  }
  const storage = EvidenceStorage.under(config.dataDir);
  let running: Promise<unknown> | null = null;
  const collect = async () => {
    const collected = await collectUnreferencedEvidence(
      db,
      storage,
      new Date(Date.now() - graceMs),
      config.evidenceGraceHours,
    );
    if (collected.length > 0) {
      const bytes = collected.reduce((n, c) => n + c.size, 0);
      app.log.info(
        { collected },
        `collected ${collected.length} evidence files no record refers to, stored more than ${config.evidenceGraceHours} h ago (${bytes} bytes)`,
      );
    }
  };
  await collect();
  const timer = setInterval(() => {
    running ??= collect()
      .catch((err: unknown) => app.log.error({ err }, 'collecting unreferenced evidence failed'))
      .finally(() => (running = null));
  }, HOUR);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}
