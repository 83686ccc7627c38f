import { z } from 'zod';
import { calendarFor } from '../../domain/control-matrix.js';
import { controlDateProblems } from '../../domain/control-dates.js';
import { TEXT_LIMITS } from '../../domain/control-fields.js';
import {
  DESIGN_CONCLUSIONS,
  oneLine,
  PROCEDURE_KINDS,
  testPlanProblems,
  type TestPlan,
  type TestProcedure,
} from '../../domain/test-plan.js';
import {
  isoDate,
  optionalText,
  parseForm,
  stringList,
  text,
  type FieldErrors,
  type ParseResult,
} from '../../core/http/forms.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import type { EngagementScope } from '../criteria/index.js';
import type { ControlFields } from './service.js';
import { controlFieldsShape, type ControlFieldsPosted } from './fields.js';

const choice = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
  z.enum(values, { error: message });

/** Cross-field checks run even when another field failed, so every error shows at once (they read raw values). */
const always = () => true;

export const controlForm = z
  .object({ ...controlFieldsShape, criteria: stringList })
  .refine((v) => !v.changedOn || v.descriptionBeforeChange, {
    message: 'Describe how the control operated before the change.',
    path: ['descriptionBeforeChange'],
    when: always,
  })
  .refine((v) => !v.changedOn || v.descriptionAfterChange, {
    message: 'Describe how the control operates after the change.',
    path: ['descriptionAfterChange'],
    when: always,
  }) as unknown as z.ZodType<ControlFieldsPosted & { criteria: string[] }>;

export interface ControlFormValue {
  fields: ControlFields;
  criteria: string[];
}

/** The control form, checked against the engagement: its period (dates) and its scope (criteria). */
export function readControlForm(
  body: unknown,
  engagement: EngagementRow,
  scope: EngagementScope,
): ParseResult<ControlFormValue> {
  const parsed = parseForm(controlForm, body);
  if (!parsed.ok) return parsed;
  const { criteria: written, ...v } = parsed.value;
  const fields: ControlFields = {
    ...v,
    calendar: calendarFor(v.frequency, v.calendar),
    implementedFrom: v.implementedFrom ?? engagement.periodStart,
  };
  if (!fields.changedOn) Object.assign(fields, { descriptionBeforeChange: '', descriptionAfterChange: '' });
  const errors: FieldErrors = {
    ...controlDateProblems({ start: engagement.periodStart, end: engagement.periodEnd }, fields),
  };
  const criteria: string[] = [];
  for (const ref of written) {
    const resolved = scope.resolve(ref);
    if (resolved.ok) criteria.push(resolved.reference);
    else errors.criteria ??= `${resolved.message.charAt(0).toUpperCase()}${resolved.message.slice(1)}.`;
  }
  const input = (body ?? {}) as Record<string, unknown>;
  return Object.keys(errors).length > 0
    ? { ok: false, errors, input }
    : { ok: true, value: { fields, criteria: [...new Set(criteria)] } };
}

export interface PlanRows {
  procedures: { kind: string; text: string; order: string }[];
  attributes: string[];
}

const list = (v: unknown) => stringList.parse(typeof v === 'string' || Array.isArray(v) ? v : undefined);

/** The rows of the plan form as typed, blank ones included, so a refused plan is shown back unchanged. */
export function planRowsOf(body: unknown): PlanRows {
  const b = (body ?? {}) as Record<string, unknown>;
  const kinds = list(b.procedureKind);
  const texts = list(b.procedureText);
  const orders = list(b.procedureOrder);
  return {
    procedures: texts.map((t, i) => ({ kind: kinds[i] ?? '', text: t, order: orders[i] ?? '' })),
    attributes: list(b.attributeText),
  };
}

/** Procedures are put in the order their numbers give (ties keep the form's order); blank rows are dropped. */
export function readTestPlanForm(
  body: unknown,
): { ok: true; plan: TestPlan } | { ok: false; errors: FieldErrors; rows: PlanRows } {
  const rows = planRowsOf(body);
  const errors: FieldErrors = {};
  const written = rows.procedures
    .map((p, i) => ({ ...p, text: oneLine(p.text), at: Number.parseFloat(p.order), i }))
    .filter((p) => p.text !== '')
    .sort((a, b) => (Number.isNaN(a.at) ? Infinity : a.at) - (Number.isNaN(b.at) ? Infinity : b.at) || a.i - b.i);
  const procedures: TestProcedure[] = [];
  for (const p of written) {
    if (!(PROCEDURE_KINDS as readonly string[]).includes(p.kind))
      errors.procedures ??= `Choose the type of procedure ${procedures.length + 1}.`;
    else if (p.text.length > TEXT_LIMITS.procedure)
      errors.procedures ??= `A procedure is longer than ${TEXT_LIMITS.procedure} characters.`;
    procedures.push({ kind: p.kind as TestProcedure['kind'], text: p.text });
  }
  const attributes = rows.attributes.map(oneLine).filter((a) => a !== '');
  if (attributes.some((a) => a.length > TEXT_LIMITS.attribute))
    errors.attributes ??= `An attribute is longer than ${TEXT_LIMITS.attribute} characters.`;
  for (const problem of testPlanProblems({ procedures, attributes })) errors[problem.field] ??= problem.message;
  return Object.keys(errors).length > 0 ? { ok: false, errors, rows } : { ok: true, plan: { procedures, attributes } };
}

export const walkthroughForm = z
  .object({
    performedOn: isoDate('Date of the walkthrough'),
    performedBy: z.coerce
      .number({ error: 'Choose who performed the walkthrough.' })
      .int()
      .positive('Choose who performed the walkthrough.'),
    traced: text('What was traced', 4000),
    conclusion: choice(DESIGN_CONCLUSIONS, 'Conclude on the design.'),
    deficiency: optionalText('Design deficiency', 4000),
  })
  .refine((v) => v.conclusion === 'suitably-designed' || v.deficiency, {
    message: 'Describe the design deficiency: what the control fails to prevent or detect.',
    path: ['deficiency'],
  });
