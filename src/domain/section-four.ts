// Section IV of a SOC report, "Tests of controls and results": the controls grouped by the criterion
// (SOC 2, ISAE 3000) or control objective (SOC 1, ISAE 3402) they address, each with the tests the service
// auditor performed and their results (domain.md, "The report"). Pure: the outputs only lay it out.

import { compareReferences } from './criteria.js';
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

export interface ControlForReport {
  reference: string;
  description: string;
  /** Criterion ids or objective references the control is mapped to. */
  mappedTo: string[];
  procedures: TestProcedure[];
  windows: TestedWindow[];
}

export interface ComplementaryForReport {
  kind: 'cuec' | 'csoc';
  reference: string;
  description: string;
  criteria: string[];
  /** The carved-out subservice organization that operates a CSOC. */
  subserviceOrganization: string | null;
}

export interface SectionFourInput {
  kind: 'criteria' | 'objectives';
  /** Criteria or objectives in scope, in report order. */
  scope: { reference: string; title: string }[];
  controls: ControlForReport[];
  complementary: ComplementaryForReport[];
}

export interface SectionFourRow {
  controlNumber: string;
  controlActivity: string;
  /** One entry per test procedure, the sample stated on the one that tested it. */
  testsPerformed: string[];
  /** One entry per tested window. */
  results: string[];
  managementResponses: string[];
}

export interface SectionFourGroup {
  reference: string;
  title: string;
  rows: SectionFourRow[];
}

export interface ComplementaryRow {
  reference: string;
  description: string;
  criteria: string[];
  subserviceOrganization: string | null;
}

export interface SectionFour {
  kind: 'criteria' | 'objectives';
  /** "Criterion" or "Control objective", for headings. */
  groupNoun: string;
  groups: SectionFourGroup[];
  cuecs: ComplementaryRow[];
  csocs: ComplementaryRow[];
}

const count = (n: number) => n.toLocaleString('en-US');

/** " (2 of them replacements for items that were not occurrences of the control)", or nothing. */
function replacementNote(sample: SampleFacts): string {
  const n = sample.replacements ?? 0;
  if (n === 0) return '';
  return n === 1 ? ' (1 of them a replacement for an item that was not an occurrence of the control)' : ` (${count(n)} of them replacements for items that were not occurrences of the control)`;
}

/** "25 of 1,214 new hires", or "all 12 months" when every item was tested; replacements, if any, said so. */
export function sampleCount(sample: SampleFacts): string {
  const noun = sample.itemNoun.trim() || 'items';
  const figures = sample.size >= sample.populationSize ? `all ${count(sample.populationSize)} ${noun}` : `${count(sample.size)} of ${count(sample.populationSize)} ${noun}`;
  return figures + replacementNote(sample);
}

const SAMPLED_KINDS: ProcedureKind[] = ['inspection', 'reperformance'];
/** "a sample of new hires" with no count written yet. */
const SAMPLE_WORDS = /\ba sample of (?!\d|all\b)/i;
const SELECTION_WORDS = /\b(selected|sampled|sample)\b/i;

/** Which procedure the sample belongs to: the one that speaks of a sample, else the last inspection or reperformance. */
function sampledProcedure(procedures: readonly TestProcedure[]): number {
  const candidates = procedures.map((p, i) => ({ p, i })).filter(({ p }) => SAMPLED_KINDS.includes(p.kind));
  const pool = candidates.length > 0 ? candidates : procedures.map((p, i) => ({ p, i })).filter(({ p }) => p.kind === 'observation');
  const chosen = pool.find(({ p }) => SAMPLE_WORDS.test(p.text)) ?? pool.find(({ p }) => SELECTION_WORDS.test(p.text)) ?? pool[pool.length - 1];
  return chosen?.i ?? -1;
}

const withoutStop = (text: string) => text.trim().replace(/[.\s]+$/, '');

function withSample(text: string, windows: readonly TestedWindow[]): string {
  const sampled = windows.filter((w) => w.sample !== null);
  if (sampled.length === 1) {
    const sample = sampled[0]!.sample!;
    if (SAMPLE_WORDS.test(text)) {
      const figures = sample.size >= sample.populationSize ? `all ${count(sample.populationSize)} ` : `a sample of ${count(sample.size)} of ${count(sample.populationSize)} `;
      const stated = text.trim().replace(SAMPLE_WORDS, figures);
      return sample.replacements ? `${withoutStop(stated)}${replacementNote(sample)}.` : stated;
    }
    return `${withoutStop(text)}, for a sample of ${sampleCount(sample)}.`;
  }
  const phrases = sampled.map((w) => `${sampleCount(w.sample!)} (${w.label.toLowerCase()})`);
  return `${withoutStop(text)}, for a sample of ${phrases.join(' and ')}.`;
}

/** The procedures as the report states them: inquiry and observation as written, the sample on the tested one. */
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

function managementResponses(windows: readonly TestedWindow[]): string[] {
  const responses = windows.flatMap((w) => w.exceptions.map((e) => e.managementResponse.trim())).filter(Boolean);
  return [...new Set(responses)];
}

export function sectionFourRow(control: ControlForReport): SectionFourRow {
  return {
    controlNumber: control.reference,
    controlActivity: control.description.trim(),
    testsPerformed: testsPerformed(control.procedures, control.windows),
    results: resultsOf(control.windows),
    managementResponses: managementResponses(control.windows),
  };
}

function complementaryRows(items: readonly ComplementaryForReport[], kind: 'cuec' | 'csoc'): ComplementaryRow[] {
  return items
    .filter((c) => c.kind === kind)
    .map((c) => ({ reference: c.reference, description: c.description, criteria: [...c.criteria].sort(compareReferences), subserviceOrganization: c.subserviceOrganization }))
    .sort((a, b) => (a.subserviceOrganization ?? '').localeCompare(b.subserviceOrganization ?? '') || compareReferences(a.reference, b.reference));
}

/**
 * Groups in scope order, each listing the controls mapped to it; a control mapped to several criteria appears
 * under each, as SOC reports show it. A criterion without controls is left out: the coverage view flags it.
 */
export function sectionFour(input: SectionFourInput): SectionFour {
  const byReference = new Map<string, ControlForReport[]>();
  for (const control of input.controls) {
    for (const ref of new Set(control.mappedTo)) {
      const list = byReference.get(ref) ?? [];
      list.push(control);
      byReference.set(ref, list);
    }
  }
  const rows = new Map(input.controls.map((c) => [c, sectionFourRow(c)]));
  const groups = input.scope.flatMap((item) => {
    const mapped = [...(byReference.get(item.reference) ?? [])].sort((a, b) => compareReferences(a.reference, b.reference));
    return mapped.length === 0 ? [] : [{ reference: item.reference, title: item.title, rows: mapped.map((c) => rows.get(c)!) }];
  });
  return {
    kind: input.kind,
    groupNoun: input.kind === 'criteria' ? 'Criterion' : 'Control objective',
    groups,
    cuecs: complementaryRows(input.complementary, 'cuec'),
    csocs: complementaryRows(input.complementary, 'csoc'),
  };
}
