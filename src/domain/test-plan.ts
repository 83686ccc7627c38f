// How a control will be tested: typed procedures, lettered attributes, and where the plan stands.

export const PROCEDURE_KINDS = ['inquiry', 'observation', 'inspection', 'reperformance'] as const;
export type ProcedureKind = (typeof PROCEDURE_KINDS)[number];

export const PROCEDURE_KIND_LABELS: Record<ProcedureKind, string> = {
  inquiry: 'Inquiry',
  observation: 'Observation',
  inspection: 'Inspection',
  reperformance: 'Reperformance',
};

export interface TestProcedure {
  kind: ProcedureKind;
  text: string;
}

export interface TestPlan {
  procedures: TestProcedure[];
  /** What is checked on every tested item, in order; the letters come from the position. */
  attributes: string[];
}

/** Letters run A to Z; a control with more checks than that needs splitting, not more letters. */
export const MAX_ATTRIBUTES = 26;

export function attributeLetter(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_ATTRIBUTES)
    throw new RangeError(`no attribute letter for position ${index}`);
  return String.fromCharCode(65 + index);
}

export interface PlanProblem {
  field: 'procedures' | 'attributes';
  message: string;
}

export const ALL_INQUIRY_REASON =
  'Inquiry alone never gives enough evidence that a control operated: add an observation, inspection or reperformance procedure.';

/**
 * A plan is either not written yet (empty) or complete. Every control is tested on items (a sample, or the one
 * occurrence of an automated control), so every plan needs at least one attribute to mark each item against.
 */
export function testPlanProblems(plan: TestPlan): PlanProblem[] {
  const { procedures, attributes } = plan;
  if (procedures.length === 0 && attributes.length === 0) return [];
  const problems: PlanProblem[] = [];
  if (procedures.length === 0)
    problems.push({ field: 'procedures', message: 'Write at least one test procedure for these attributes.' });
  else if (procedures.every((p) => p.kind === 'inquiry'))
    problems.push({ field: 'procedures', message: ALL_INQUIRY_REASON });
  if (attributes.length === 0) {
    problems.push({
      field: 'attributes',
      message: 'Write at least one attribute: each item tested is marked against the attributes.',
    });
  } else if (attributes.length > MAX_ATTRIBUTES) {
    problems.push({ field: 'attributes', message: `A control has at most ${MAX_ATTRIBUTES} attributes (A to Z).` });
  }
  return problems;
}

/** Text kept on one line, so that a plan exported one procedure per line reads back the same. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const BULLET = /^\s*(?:[-•*·]|\(?\d{1,2}[.)])\s+/;
const KIND_PREFIX = /^(inquiry|enquiry|observation|inspection|re-?performance)\s*[:\-–—]\s*(.*)$/i;
const KIND_BY_VERB: [RegExp, ProcedureKind][] = [
  [/^(inquired|enquired|asked|interviewed|discussed|corroborated (?:through|by) inquiry)\b/i, 'inquiry'],
  [/^observed\b/i, 'observation'],
  [/^(inspected|examined|obtained and inspected|reviewed|vouched|traced)\b/i, 'inspection'],
  [/^(re-?performed|recalculated|recomputed)\b/i, 'reperformance'],
];

function kindFromWord(word: string): ProcedureKind {
  const w = word.toLowerCase().replace('-', '');
  return w === 'enquiry' ? 'inquiry' : (w as ProcedureKind);
}

export type LineResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** "Inspection: Inspected …", or an unprefixed line whose first verb says the type ("Inspected …"). */
export function readProcedureLine(line: string): LineResult<TestProcedure> {
  const text = oneLine(line.replace(BULLET, ''));
  const prefixed = KIND_PREFIX.exec(text);
  if (prefixed) {
    const body = oneLine(prefixed[2] ?? '');
    if (!body) return { ok: false, message: `"${text}" names the type but no procedure` };
    return { ok: true, value: { kind: kindFromWord(prefixed[1]!), text: body } };
  }
  const byVerb = KIND_BY_VERB.find(([pattern]) => pattern.test(text));
  if (byVerb) return { ok: true, value: { kind: byVerb[1], text } };
  return {
    ok: false,
    message: `start "${shorten(text)}" with its type, e.g. "Inspection: …" (inquiry, observation, inspection or reperformance)`,
  };
}

export function readProcedures(cell: string): { procedures: TestProcedure[]; problems: string[] } {
  const procedures: TestProcedure[] = [];
  const problems: string[] = [];
  for (const line of cell.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const read = readProcedureLine(line);
    if (read.ok) procedures.push(read.value);
    else problems.push(read.message);
  }
  return { procedures, problems };
}

export function writeProcedures(procedures: readonly TestProcedure[]): string {
  return procedures.map((p) => `${PROCEDURE_KIND_LABELS[p.kind]}: ${p.text}`).join('\n');
}

const LETTER_PREFIX = /^([A-Za-z])\s*[:.)]\s*(.*)$|^([A-Za-z])\s+[-–—]\s+(.*)$/;

/** One attribute per line, "A: …"; the letters written are replaced by the line's position. */
export function readAttributes(cell: string): string[] {
  const attributes: string[] = [];
  for (const line of cell.split(/\r?\n/)) {
    const text = oneLine(line.replace(BULLET, ''));
    if (!text) continue;
    const lettered = LETTER_PREFIX.exec(text);
    const body = lettered ? oneLine(lettered[2] ?? lettered[4] ?? '') : text;
    if (body) attributes.push(body);
  }
  return attributes;
}

export function writeAttributes(attributes: readonly string[]): string {
  return attributes.map((text, i) => `${attributeLetter(i)}: ${text}`).join('\n');
}

export const TEST_STATUSES = ['not-planned', 'planned', 'walked-through', 'design-deficiency'] as const;
export type TestStatus = (typeof TEST_STATUSES)[number];

export const TEST_STATUS_LABELS: Record<TestStatus, string> = {
  'not-planned': 'Not planned',
  planned: 'Planned',
  'walked-through': 'Walked through',
  'design-deficiency': 'Design deficiency',
};

export const DESIGN_CONCLUSIONS = ['suitably-designed', 'not-suitably-designed'] as const;
export type DesignConclusion = (typeof DESIGN_CONCLUSIONS)[number];

/** Where a control's testing stands, as far as the plan and the walkthrough tell. */
export function testStatus(procedureCount: number, walkthrough: { conclusion: DesignConclusion } | null): TestStatus {
  if (walkthrough?.conclusion === 'not-suitably-designed') return 'design-deficiency';
  if (procedureCount === 0) return 'not-planned';
  return walkthrough ? 'walked-through' : 'planned';
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
