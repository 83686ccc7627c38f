// How Section IV states a control's tests and results: the sample's figures written into the procedure that
// tested it, and one result sentence per tested window (see section-four.ts).
import { singular } from './plural.js';
import { NO_TESTING_SENTENCE } from './result-wording.js';
import type { ProcedureKind, TestProcedure } from './test-plan.js';
import type { Conclusion } from './types.js';

export const NOT_COMPLETED_SENTENCE = 'Testing not completed.';

/** The sample a window of a control was tested on; null when nothing was sampled. */
export interface SampleFacts {
  /** Items tested, extensions included. */
  size: number;
  populationSize: number;
  /** Plural noun for the items ("new hires"). */
  itemNoun: string;
  /** Items among them drawn to replace items that were not occurrences of the control. */
  replacements?: number;
}

/** One tested window of a control (the whole period, or before / after a change to the control). */
export interface TestedWindow {
  label: string;
  sample: SampleFacts | null;
  conclusion: Conclusion | null;
  /** The workpaper's result sentence, as the auditor kept it. */
  resultSentence: string;
  exceptions: { description: string; managementResponse: string }[];
}

const count = (n: number) => n.toLocaleString('en-US');

/** " (2 of them replacements for items that were not occurrences of the control)", or nothing. */
function replacementNote(sample: SampleFacts): string {
  const n = sample.replacements ?? 0;
  if (n === 0) return '';
  return n === 1
    ? ' (1 of them a replacement for an item that was not an occurrence of the control)'
    : ` (${count(n)} of them replacements for items that were not occurrences of the control)`;
}

/** "25 of 1,214 new hires", or "all 12 months" when every item was tested; replacements, if any, said so. */
export function sampleCount(sample: SampleFacts): string {
  const noun = sample.itemNoun.trim() || 'items';
  const figures =
    sample.size >= sample.populationSize
      ? `all ${count(sample.populationSize)} ${noun}`
      : `${count(sample.size)} of ${count(sample.populationSize)} ${noun}`;
  return figures + replacementNote(sample);
}

const SAMPLED_KINDS: ProcedureKind[] = ['inspection', 'reperformance'];
/** "a sample of new hires" with no count written yet. */
const SAMPLE_WORDS = /\ba sample of (?!\d|all\b)/i;
const SELECTION_WORDS = /\b(selected|sampled|sample)\b/i;

/** Which procedure the sample belongs to: the one that speaks of a sample, else the last inspection or reperformance. */
function sampledProcedure(procedures: readonly TestProcedure[]): number {
  const candidates = procedures.map((p, i) => ({ p, i })).filter(({ p }) => SAMPLED_KINDS.includes(p.kind));
  const pool =
    candidates.length > 0
      ? candidates
      : procedures.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === 'observation');
  const chosen =
    pool.find(({ p }) => SAMPLE_WORDS.test(p.text)) ??
    pool.find(({ p }) => SELECTION_WORDS.test(p.text)) ??
    pool[pool.length - 1];
  return chosen?.i ?? -1;
}

const withoutStop = (text: string) => text.trim().replace(/[.\s]+$/, '');

const isTestOfOne = (sample: SampleFacts) => sample.size === 1;
const isWhole = (sample: SampleFacts) => sample.size >= sample.populationSize;

/** "a sample of new hires …" with the figures in place; a test of one names the one item and no sample. */
function statedInPlace(text: string, sample: SampleFacts): string {
  const noun = sample.itemNoun.trim();
  if (isTestOfOne(sample)) {
    const rest = text.trim().replace(SAMPLE_WORDS, '\u0000');
    const [before, after = ''] = rest.split('\u0000');
    const one =
      noun && after.toLowerCase().startsWith(noun.toLowerCase()) ? singular(noun) + after.slice(noun.length) : after;
    return `${before}the one ${one}`;
  }
  const figures = isWhole(sample)
    ? `all ${count(sample.populationSize)} `
    : `a sample of ${count(sample.size)} of ${count(sample.populationSize)} `;
  return text.trim().replace(SAMPLE_WORDS, figures);
}

/** ", for a sample of 25 of 1,214 new hires", ", for all 12 months tested", ", for the one year tested". */
function sampleClause(sample: SampleFacts): string {
  const noun = sample.itemNoun.trim() || 'items';
  if (isTestOfOne(sample)) return `, for the one ${singular(noun)} tested`;
  if (isWhole(sample)) return `, for ${sampleCount(sample)} tested`;
  return `, for a sample of ${sampleCount(sample)}`;
}

function withSample(text: string, windows: readonly TestedWindow[]): string {
  const sampled = windows.filter((w) => w.sample !== null);
  if (sampled.length === 1) {
    const sample = sampled[0]!.sample!;
    if (SAMPLE_WORDS.test(text)) {
      const stated = statedInPlace(text, sample);
      return sample.replacements ? `${withoutStop(stated)}${replacementNote(sample)}.` : stated;
    }
    return `${withoutStop(text)}${sampleClause(sample)}.`;
  }
  const phrases = sampled.map((w) => `${sampleCount(w.sample!)} (${w.label.toLowerCase()})`);
  return `${withoutStop(text)}, for a sample of ${phrases.join(' and ')}.`;
}

/**
 * The procedures as the report states them: inquiry and observation as written, the sample on the tested one;
 * "all 12 months … tested" when every item was tested, "the one … tested" for a test of one (no sample stated).
 */
export function testsPerformed(procedures: readonly TestProcedure[], windows: readonly TestedWindow[]): string[] {
  const texts = procedures.map((p) => p.text.trim());
  if (!windows.some((w) => w.sample !== null)) return texts;
  const target = sampledProcedure(procedures);
  return texts.map((t, i) => (i === target ? withSample(t, windows) : t));
}

function windowResult(window: TestedWindow): string {
  if (window.conclusion === null) return NOT_COMPLETED_SENTENCE;
  if (window.conclusion === 'no-testing') return window.resultSentence.trim() || NO_TESTING_SENTENCE;
  return window.resultSentence.trim() || NOT_COMPLETED_SENTENCE;
}

/** One sentence per window; a control tested in two windows says which is which. */
export function resultsOf(windows: readonly TestedWindow[]): string[] {
  if (windows.length === 0) return [NOT_COMPLETED_SENTENCE];
  if (windows.length === 1) return [windowResult(windows[0]!)];
  return windows.map((w) => `${w.label}: ${windowResult(w)}`);
}
