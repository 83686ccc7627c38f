// Words for a selection's stored method, as the sampling screen offers them.
import type { SampleMethod } from '../../db/schema/index.js';

export const SAMPLE_METHOD_LABELS: Record<SampleMethod, string> = {
  random: 'Random (seeded)',
  systematic: 'Systematic (interval, random start)',
  'period-spread': 'Random, spread over the period',
  'interim-split': 'Random, split between interim and roll-forward',
  haphazard: 'Haphazard (items picked by the auditor)',
  judgmental: 'Judgmental (items picked by the auditor)',
  all: 'All items (100%)',
};

export const SIZING_LABELS: Record<'table' | 'statistical', string> = {
  table: "Firm's sample-size table",
  statistical: 'Statistical (attribute sampling)',
};
