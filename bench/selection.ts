// Selecting 60 then extending by 40 must cost the same from 1,000,000 items as from 10,000.
import { drawExtension } from '../src/domain/sample-plan.js';
import { selectRandom } from '../src/domain/selection.js';
import { medianMs, round, type Benchmark } from './harness.js';

function selectAndExtend(populationSize: number, seed: number): number {
  const first = selectRandom({ populationSize, sampleSize: 60, seed });
  const extra = drawExtension({ populationSize, seed, alreadySelected: first, additional: 40 });
  return first.length + extra.length;
}

export const selection: Benchmark = {
  name: 'selection',
  description: 'Select 60 then extend by 40, from 1,000,000 items vs from 10,000',
  async run() {
    let seed = 1;
    for (let i = 0; i < 50; i++) selectAndExtend(1_000_000, seed++); // warm up
    const small = await medianMs(201, () => selectAndExtend(10_000, seed++));
    const large = await medianMs(201, () => selectAndExtend(1_000_000, seed++));
    return [
      {
        benchmark: 'selection',
        name: 'select 60 + extend 40 from 1,000,000 items',
        value: round(large, 3),
        unit: 'ms',
        baseline: { name: 'same from 10,000 items', value: round(small, 3) },
        ratio: round(large / small),
        goal: 'ratio ≈ 1 (independent of population size) and ≤ 100 ms',
        met: large <= 100 && large / small < 2,
      },
    ];
  },
};
