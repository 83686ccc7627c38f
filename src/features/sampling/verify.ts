// Verifying a selection: the population hashed again and the selection drawn again from its seed, compared
// with what was recorded. Both read the frame a step at a time, so a million items hold up no other request.
import type { Connection } from '../../db/connection.js';
import { compareSelections, drawExtension, type VerificationDifference } from '../../domain/sample-plan.js';
import { findPopulation, frameHash } from '../populations/index.js';
import { datesFor, drawOfSample } from './draw.js';
import { itemsOfSample, type SampleRow } from './queries.js';

export interface Verification {
  hashMatches: boolean;
  recordedHash: string;
  currentHash: string;
  differences: VerificationDifference[];
  itemsChecked: number;
}

/** Recomputes the population hash and the selection (with its extensions) from the seed, and compares. */
export async function verifySample(conn: Connection, sample: SampleRow): Promise<Verification> {
  const population = findPopulation(conn.db, sample.engagementId, sample.populationId)!;
  const { hash } = await frameHash(conn.sqlite, population.id);
  const dates = await datesFor(conn, population.id, sample.method);
  const recorded = itemsOfSample(conn.db, sample.id);
  if (sample.status === 'pending')
    return {
      hashMatches: hash === sample.populationHash,
      recordedHash: sample.populationHash,
      currentHash: hash,
      differences: [],
      itemsChecked: 0,
    };
  const planned = recorded.filter((i) => i.extensionRound === 0);
  const picks = sample.method === 'haphazard' || sample.method === 'judgmental' ? planned.map((i) => i.position) : [];
  const first = drawOfSample(population, sample, picks, dates).positions;
  const recomputed = [...first];
  const rounds = [...new Set(recorded.map((i) => i.extensionRound))].filter((r) => r > 0).sort((a, b) => a - b);
  for (const round of rounds) {
    const additional = recorded.filter((i) => i.extensionRound === round).length;
    recomputed.push(
      ...drawExtension({
        populationSize: sample.populationSize,
        seed: sample.seed!,
        alreadySelected: recomputed,
        additional,
      }),
    );
  }
  return {
    hashMatches: hash === sample.populationHash,
    recordedHash: sample.populationHash,
    currentHash: hash,
    differences: compareSelections(
      recorded.map((i) => i.position),
      recomputed,
    ),
    itemsChecked: recorded.length,
  };
}
