// The one definition of a control's editable fields. The control form (its zod schema and its template), the
// control page, the conflict view of a refused save, and the matrix import's and export's columns are all
// read from CONTROL_FIELDS; features/controls/fields.ts ties its keys and value types to the drizzle table, so
// a column added there and left out here does not compile. README "Layout of the code" walks adding a field.
import type { ControlType, Frequency, Nature, OccurrenceCalendar, Risk } from './types.js';
import {
  choice,
  choiceCell,
  orProblem,
  textCell,
  type FieldDefinition as Definition,
  type MatrixSpec as Spec,
} from './field-definition.js';
import { CONTROL_TYPES, FREQUENCIES, NATURES, OCCURRENCE_CALENDARS, RISKS } from './types.js';
import {
  CALENDAR_LABELS,
  CONTROL_TYPE_LABELS,
  FREQUENCY_LABELS,
  NATURE_LABELS,
  readCalendar,
  readControlType,
  readFrequency,
  readKey,
  readNature,
  readRisk,
  RISK_LABELS,
} from './control-values.js';

/** A control's editable fields as stored (every column of `controls` but its id, engagement, times and versions). */
export interface ControlFields {
  reference: string;
  description: string;
  owner: string;
  frequency: Frequency;
  /** The days a daily control operates on; business days for every other frequency. */
  calendar: OccurrenceCalendar;
  nature: Nature;
  controlType: ControlType;
  isKey: boolean;
  risk: Risk;
  implementedFrom: string;
  /** A change during the period splits its testing in two; both descriptions are kept. */
  changedOn: string | null;
  descriptionBeforeChange: string;
  descriptionAfterChange: string;
}

export const TEXT_LIMITS = { reference: 40, description: 4000, owner: 200, procedure: 2000, attribute: 1000 } as const;

export type FieldDefinition<T> = Definition<T, ControlFields>;
export type MatrixSpec<T> = Spec<T, ControlFields>;
export type { CellRead, FieldKind, FormSpec } from './field-definition.js';

/** In the order of the matrix's columns and of the control page. */
export const CONTROL_FIELDS = {
  reference: {
    form: { kind: 'text', label: 'Reference', max: TEXT_LIMITS.reference, required: true, collapseSpaces: true },
    display: { label: 'Reference', text: (c) => c.reference, page: false },
    matrix: {
      column: 'reference',
      header: 'Reference',
      synonyms: [
        'reference',
        'ref',
        'control ref',
        'control reference',
        'control id',
        'control #',
        'control no',
        'control number',
        'id',
        '#',
        'no',
      ],
      width: 14,
      required: true,
      read: textCell('Reference', TEXT_LIMITS.reference, true, true),
      write: (c) => c.reference,
    },
  },
  description: {
    form: {
      kind: 'textarea',
      label: 'Description (control activity)',
      messageLabel: 'Description',
      max: TEXT_LIMITS.description,
      required: true,
      rows: 3,
      wide: true,
    },
    display: { label: 'Description', text: (c) => c.description, page: false },
    matrix: {
      column: 'description',
      header: 'Description',
      synonyms: [
        'description',
        'control description',
        'control activity',
        'control activities',
        'activity',
        'description of control',
      ],
      width: 60,
      required: true,
      read: textCell('Description', TEXT_LIMITS.description, true, false),
      write: (c) => c.description,
    },
  },
  owner: {
    form: { kind: 'text', label: 'Owner', max: TEXT_LIMITS.owner },
    display: { label: 'Owner', text: (c) => c.owner, page: { text: (c) => c.owner || 'Not recorded' } },
    matrix: {
      column: 'owner',
      header: 'Owner',
      synonyms: ['owner', 'control owner', 'process owner', 'responsible', 'responsible party', 'performed by'],
      width: 22,
      read: textCell('Owner', TEXT_LIMITS.owner, false, true),
      write: (c) => c.owner,
    },
  },
  frequency: {
    form: {
      kind: 'select',
      label: 'Frequency',
      options: choice(FREQUENCIES, FREQUENCY_LABELS),
      error: 'Choose how often the control operates.',
      choose: true,
    },
    display: { label: 'Frequency', text: (c) => FREQUENCY_LABELS[c.frequency] ?? c.frequency },
    matrix: {
      column: 'frequency',
      header: 'Frequency',
      synonyms: ['frequency', 'control frequency', 'how often'],
      width: 16,
      required: true,
      read: choiceCell('Frequency', readFrequency, FREQUENCY_LABELS),
      write: (c) => FREQUENCY_LABELS[c.frequency],
    },
  },
  calendar: {
    form: {
      kind: 'select',
      label: 'A daily control operates on',
      options: choice(OCCURRENCE_CALENDARS, CALENDAR_LABELS),
      error: 'Choose the days a daily control operates on.',
      defaultValue: 'business-days',
      hint: 'Business days leave out weekends and the engagement’s holidays; other frequencies ignore this.',
    },
    display: {
      label: 'Operates on',
      text: (c) => (c.frequency === 'daily' ? (CALENDAR_LABELS[c.calendar] ?? c.calendar) : null),
      page: {
        text: (c) =>
          c.frequency !== 'daily'
            ? null
            : c.calendar === 'every-day'
              ? 'Every day, weekends and holidays included'
              : 'Business days (no weekends or holidays)',
      },
    },
    matrix: {
      column: 'calendar',
      header: 'Operates on',
      synonyms: ['operates on', 'calendar', 'days operated', 'operating days', 'days of operation'],
      width: 14,
      read: orProblem(
        readCalendar,
        (cell) =>
          `Unknown value "${cell}" for the days a daily control operates on: use ${Object.values(CALENDAR_LABELS).join(' or ')}.`,
      ),
      write: (c) => (c.frequency === 'daily' ? CALENDAR_LABELS[c.calendar] : ''),
    },
  },
  nature: {
    form: {
      kind: 'select',
      label: 'Nature',
      options: choice(NATURES, NATURE_LABELS),
      error: 'Choose the nature of the control.',
      choose: true,
    },
    display: { label: 'Nature', text: (c) => NATURE_LABELS[c.nature] ?? c.nature },
    matrix: {
      column: 'nature',
      header: 'Nature',
      synonyms: [
        'nature',
        'control nature',
        'nature of control',
        'manual/automated',
        'automated/manual',
        'manual or automated',
        'automation',
      ],
      width: 18,
      required: true,
      read: choiceCell('Nature', readNature, NATURE_LABELS),
      write: (c) => NATURE_LABELS[c.nature],
    },
  },
  controlType: {
    form: {
      kind: 'radio',
      label: 'Type',
      options: choice(CONTROL_TYPES, CONTROL_TYPE_LABELS),
      error: 'Choose preventive or detective.',
    },
    display: { label: 'Type', text: (c) => CONTROL_TYPE_LABELS[c.controlType] ?? c.controlType },
    matrix: {
      column: 'type',
      header: 'Type',
      synonyms: [
        'type',
        'control type',
        'preventive/detective',
        'preventative/detective',
        'preventive or detective',
        'prev/det',
      ],
      width: 12,
      required: true,
      read: choiceCell('Type', readControlType, CONTROL_TYPE_LABELS),
      write: (c) => CONTROL_TYPE_LABELS[c.controlType],
    },
  },
  isKey: {
    form: { kind: 'checkbox', label: 'Key control', text: 'This is a key control' },
    display: { label: 'Key control', text: (c) => (c.isKey ? 'Yes' : 'No') },
    matrix: {
      column: 'key',
      header: 'Key control',
      synonyms: ['key', 'key control', 'key control (y/n)', 'key (y/n)', 'is key'],
      width: 11,
      read: orProblem(readKey, (cell) => `Unknown key control value "${cell}": use Yes or No.`),
      write: (c) => (c.isKey ? 'Yes' : 'No'),
    },
  },
  risk: {
    form: {
      kind: 'radio',
      label: 'Risk of failure',
      options: choice(RISKS, RISK_LABELS),
      error: 'Choose the risk of failure.',
    },
    display: { label: 'Risk of failure', text: (c) => RISK_LABELS[c.risk] ?? c.risk },
    matrix: {
      column: 'risk',
      header: 'Risk',
      synonyms: ['risk', 'risk of failure', 'risk rating', 'risk level', 'risk of control failure'],
      width: 9,
      read: orProblem(readRisk, (cell) => `Unknown risk "${cell}": use ${Object.values(RISK_LABELS).join(' or ')}.`),
      write: (c) => RISK_LABELS[c.risk],
    },
  },
  implementedFrom: {
    form: { kind: 'date', label: 'Implemented from', hint: 'Blank: the start of the reporting period.' },
    display: { label: 'Implemented from', text: (c, fmt) => fmt.date(c.implementedFrom) },
  },
  changedOn: {
    form: { kind: 'date', label: 'Change date', group: 'change' },
    display: {
      label: 'Changed on',
      text: (c, fmt) => (c.changedOn ? fmt.date(c.changedOn) : null),
      page: {
        notes: (c) => [
          ['Before:', c.descriptionBeforeChange],
          ['After:', c.descriptionAfterChange],
        ],
      },
    },
  },
  descriptionBeforeChange: {
    form: {
      kind: 'textarea',
      label: 'How the control operated before',
      messageLabel: 'Description before the change',
      max: TEXT_LIMITS.description,
      rows: 2,
      group: 'change',
    },
    display: { label: 'Before the change', text: (c) => c.descriptionBeforeChange, page: false },
  },
  descriptionAfterChange: {
    form: {
      kind: 'textarea',
      label: 'How it operates after',
      messageLabel: 'Description after the change',
      max: TEXT_LIMITS.description,
      rows: 2,
      group: 'change',
    },
    display: { label: 'After the change', text: (c) => c.descriptionAfterChange, page: false },
  },
} as const satisfies { [K in keyof ControlFields]: FieldDefinition<ControlFields[K]> };

export type ControlFieldName = keyof typeof CONTROL_FIELDS;
