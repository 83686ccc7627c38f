import {
  CALENDAR_LABELS,
  CONTROL_TYPE_LABELS,
  FREQUENCY_LABELS,
  MATRIX_HEADERS,
  NATURE_LABELS,
  RISK_LABELS,
} from '../../domain/control-matrix.js';
import { FORM_GROUPS, formLayout } from '../../domain/control-field-views.js';
import { PROCEDURE_KIND_LABELS, TEST_STATUS_LABELS } from '../../domain/test-plan.js';

/** Words the control templates show for stored values. */
export const CONTROL_LABELS = {
  frequency: FREQUENCY_LABELS,
  calendar: CALENDAR_LABELS,
  nature: NATURE_LABELS,
  type: CONTROL_TYPE_LABELS,
  risk: RISK_LABELS,
  procedure: PROCEDURE_KIND_LABELS,
  status: TEST_STATUS_LABELS,
  conclusion: { 'suitably-designed': 'Suitably designed', 'not-suitably-designed': 'Not suitably designed' } as Record<
    string,
    string
  >,
  column: MATRIX_HEADERS,
  /** The control form's fields in order, each rendered by views/controls/fields/<kind>.eta. */
  form: formLayout(),
  formGroups: FORM_GROUPS,
};
