// The firm's methodology as the administrator's form posts it (every field named by its setting's path, as the
// domain's problems are keyed) and as the form shows it again: the numbers as typed, so a mistake stays visible.
import { EXTENSION_RULES, METHODOLOGY_BOUNDS, type ExtensionRule, type Methodology } from '../../domain/methodology.js';
import { FREQUENCIES, RISKS } from '../../domain/types.js';
import { sizeKey } from '../methodology/index.js';

export interface RuleOfThumbInput {
  plannedSize: string;
  deviations: string;
  extendedSize: string;
}

/** What the form shows in each field. */
export interface MethodologyInput {
  sizes: Record<string, string>;
  maxDeviationsToExtend: string;
  extension: string;
  ruleOfThumb: RuleOfThumbInput[];
  proRata: boolean;
  assemblyDays: string;
  retentionYears: string;
  largeSampleItems: string;
}

export function inputOf(m: Methodology): MethodologyInput {
  const sizes: Record<string, string> = {};
  for (const f of FREQUENCIES) for (const r of RISKS) sizes[sizeKey(f, r)] = String(m.sampleSizes[f][r]);
  return {
    sizes,
    maxDeviationsToExtend: String(m.maxDeviationsToExtend),
    extension: m.extension,
    ruleOfThumb: m.ruleOfThumb.map((r) => ({
      plannedSize: String(r.plannedSize),
      deviations: String(r.deviations),
      extendedSize: String(r.extendedSize),
    })),
    proRata: m.proRata,
    assemblyDays: String(m.assemblyDays),
    retentionYears: String(m.retentionYears),
    largeSampleItems: String(m.largeSampleItems),
  };
}

const field = (body: Record<string, unknown>, name: string): string => {
  const v = body[name];
  return typeof v === 'string' ? v.slice(0, 40) : '';
};

/** A whole number as typed ("1,000" too); NaN for anything else, which the domain's validation names. */
function whole(text: string): number {
  const t = text.replace(/[\s,]/g, '');
  return /^\d{1,9}$/.test(t) ? Number(t) : NaN;
}

/** Rows of the rule of thumb the form offers: those given, and a few empty ones to add to. */
export function ruleOfThumbSlots(rows: readonly RuleOfThumbInput[]): RuleOfThumbInput[] {
  const count = Math.min(METHODOLOGY_BOUNDS.ruleOfThumbRows, rows.length + 3);
  return Array.from({ length: count }, (_, i) => rows[i] ?? { plannedSize: '', deviations: '', extendedSize: '' });
}

function ruleOfThumbInput(body: Record<string, unknown>): RuleOfThumbInput[] {
  const rows: RuleOfThumbInput[] = [];
  for (let i = 0; i < METHODOLOGY_BOUNDS.ruleOfThumbRows; i++) {
    const row = {
      plannedSize: field(body, `ruleOfThumb.${i}.plannedSize`).trim(),
      deviations: field(body, `ruleOfThumb.${i}.deviations`).trim(),
      extendedSize: field(body, `ruleOfThumb.${i}.extendedSize`).trim(),
    };
    // An empty row is no row: rows are numbered again from the top, as the form then shows them.
    if (row.plannedSize || row.deviations || row.extendedSize) rows.push(row);
  }
  return rows;
}

/** The form's fields as typed, and the settings they make (checked by the domain's methodologyProblems). */
export function methodologyFromForm(raw: unknown): { input: MethodologyInput; settings: Methodology } {
  const body = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const sizes: Record<string, string> = {};
  for (const f of FREQUENCIES) for (const r of RISKS) sizes[sizeKey(f, r)] = field(body, sizeKey(f, r)).trim();
  const input: MethodologyInput = {
    sizes,
    maxDeviationsToExtend: field(body, 'maxDeviationsToExtend').trim(),
    extension: field(body, 'extension'),
    ruleOfThumb: ruleOfThumbInput(body),
    proRata: field(body, 'proRata') === 'on',
    assemblyDays: field(body, 'assemblyDays').trim(),
    retentionYears: field(body, 'retentionYears').trim(),
    largeSampleItems: field(body, 'largeSampleItems').trim(),
  };
  const sampleSizes = Object.fromEntries(
    FREQUENCIES.map((f) => [
      f,
      { lower: whole(sizes[sizeKey(f, 'lower')]!), higher: whole(sizes[sizeKey(f, 'higher')]!) },
    ]),
  ) as Methodology['sampleSizes'];
  const settings: Methodology = {
    sampleSizes,
    maxDeviationsToExtend: whole(input.maxDeviationsToExtend),
    extension: ((EXTENSION_RULES as readonly string[]).includes(input.extension)
      ? input.extension
      : '') as ExtensionRule,
    ruleOfThumb: input.ruleOfThumb.map((r) => ({
      plannedSize: whole(r.plannedSize),
      deviations: whole(r.deviations),
      extendedSize: whole(r.extendedSize),
    })),
    proRata: input.proRata,
    assemblyDays: whole(input.assemblyDays),
    retentionYears: whole(input.retentionYears),
    largeSampleItems: whole(input.largeSampleItems),
  };
  return { input, settings };
}
