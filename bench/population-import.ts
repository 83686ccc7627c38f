// Import of a generated 1,000,000-row CSV: rows per second against raw prepared inserts of the same rows in
// one transaction (each in a fresh process, so peak memory is the import's own).
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { round, type Benchmark } from './harness.js';

const ROWS = 1_000_000;
const here = path.dirname(fileURLToPath(import.meta.url));

async function writeCsv(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('Change ID,Deployed,Summary,Amount\n');
  for (let i = 1; i <= ROWS; i++) {
    const day = new Date(Date.UTC(2025, 0, 1 + (i % 365))).toISOString().slice(0, 10);
    if (!out.write(`CHG-${i},${day},Change number ${i} to the ledger service,${(i % 1000) + 0.25}\n`))
      await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

function child(mode: 'tickmark' | 'raw', file: string): { rows: number; ms: number; peakRssMb: number } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(here, 'import-child.ts'), mode, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

export const populationImport: Benchmark = {
  name: 'population-import',
  description: `Import ${ROWS.toLocaleString('en-US')} CSV rows: Tickmark's streamed, checked import vs raw prepared inserts in one transaction`,
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), 'tickmark-bench-csv-'));
    const file = path.join(dir, 'population.csv');
    try {
      await writeCsv(file);
      const raw = child('raw', file);
      const ours = child('tickmark', file);
      const ourRate = ours.rows / (ours.ms / 1000);
      const rawRate = raw.rows / (raw.ms / 1000);
      return [
        {
          benchmark: 'population-import',
          name: 'rows imported per second',
          value: Math.round(ourRate),
          unit: 'rows/s',
          baseline: { name: 'raw better-sqlite3 inserts', value: Math.round(rawRate) },
          ratio: round(ourRate / rawRate),
          goal: '≥ 0.5× raw',
          met: ourRate / rawRate >= 0.5,
        },
        {
          benchmark: 'population-import',
          name: 'peak RSS during the import',
          value: round(ours.peakRssMb, 0),
          unit: 'MB',
          baseline: { name: 'raw inserts (whole file in memory)', value: round(raw.peakRssMb, 0) },
          ratio: round(ours.peakRssMb / raw.peakRssMb),
          goal: '≤ 300 MB',
          met: ours.peakRssMb <= 300,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
