import { getTableColumns } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { controls } from '../../../src/db/schema/index.js';
import { FORM_ORDER, MATRIX_FIELDS, matrixSpec } from '../../../src/domain/control-field-views.js';
import { CONTROL_FIELDS, type FieldDefinition } from '../../../src/domain/control-fields.js';
import {
  columnForHeader,
  MATRIX_COLUMN_KEYS,
  MATRIX_HEADERS,
  RELATED_COLUMNS,
} from '../../../src/domain/control-matrix.js';
import type { EditableControlColumn } from '../../../src/features/controls/fields.js';
import { buildTestApp, demoEngagementId, loginAs } from '../../helpers/app.js';
import { controlId } from './helpers.js';

const SYSTEM_COLUMNS = ['id', 'engagementId', 'createdAt', 'updatedAt', 'version', 'planVersion'];

describe('the one definition of a control’s fields', () => {
  it('has a field for every editable column of the controls table and none for a column it lacks', () => {
    // The compile-time check is features/controls/fields.ts; this is the same at run time, for a reader of the tests.
    const editable = Object.keys(getTableColumns(controls)).filter((c) => !SYSTEM_COLUMNS.includes(c));
    expect(Object.keys(CONTROL_FIELDS).sort()).toEqual(editable.sort());
    expect([...FORM_ORDER].sort()).toEqual(editable.sort());
  });

  it('does not compile when the table gains a column the definition lacks (checked by npm run typecheck)', () => {
    type TableWithNewColumn = Record<EditableControlColumn | 'reviewFrequency', unknown>;
    // @ts-expect-error reviewFrequency: a column with no field definition
    CONTROL_FIELDS satisfies TableWithNewColumn;
    expect(Object.keys(CONTROL_FIELDS)).not.toContain('reviewFrequency');
  });

  it('gives the matrix one column per matrix field, then the criteria and the test plan, each header read back to its column', () => {
    expect(MATRIX_COLUMN_KEYS).toEqual([
      ...MATRIX_FIELDS.map((f) => matrixSpec(f).column),
      ...Object.keys(RELATED_COLUMNS),
    ]);
    for (const column of MATRIX_COLUMN_KEYS) expect(columnForHeader(MATRIX_HEADERS[column])).toBe(column);
    for (const field of MATRIX_FIELDS) {
      for (const synonym of matrixSpec(field).synonyms) expect(columnForHeader(synonym)).toBe(matrixSpec(field).column);
    }
  });

  it('renders every field on the control form under its label, in the definition’s form order', async () => {
    const t = await buildTestApp();
    const senior = await loginAs(t.app, 'senior');
    const page = await senior.get(`/engagements/${demoEngagementId(t)}/controls/new`);
    expect(page.statusCode).toBe(200);
    const at = FORM_ORDER.map((name) => page.body.indexOf(`name="${name}"`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    for (const name of FORM_ORDER)
      expect(page.body).toContain(`${(CONTROL_FIELDS[name] as FieldDefinition<unknown>).form.label}</`);
  });

  it('lists the fields on the control page under their display labels', async () => {
    const t = await buildTestApp();
    const id = demoEngagementId(t);
    const senior = await loginAs(t.app, 'senior');
    const page = await senior.get(`/engagements/${id}/controls/${controlId(t, 'CC6.2-01')}`);
    expect(page.statusCode).toBe(200);
    const listed = Object.values(CONTROL_FIELDS as Record<string, FieldDefinition<unknown>>).filter(
      (f) => f.display.page !== false && !(f.display.label === 'Changed on' || f.display.label === 'Operates on'),
    );
    for (const f of listed) expect(page.body).toContain(`<dt>${f.display.label}</dt>`);
  });
});
