// Nimbus Ledger's controls over its control environment, communication, risk assessment and monitoring
// (CC1–CC5), as the client's matrix and the auditors' test plan describe them.
import type { DemoControl } from './demo-control.js';

export const GOVERNANCE_CONTROLS: DemoControl[] = [
  {
    reference: 'CC1.1-01',
    description:
      'Upon hire, employees and contractors acknowledge the Code of Conduct and the Acceptable Use Policy in the HR system before they are granted access to Nimbus Ledger systems.',
    owner: 'People Operations Lead',
    frequency: 'event-driven',
    nature: 'it-dependent-manual',
    controlType: 'preventive',
    isKey: false,
    risk: 'lower',
    criteria: ['CC1.1'],
    procedures: [
      'Inquiry: Inquired of the People Operations Lead regarding the onboarding process and when acknowledgements are obtained.',
      'Inspection: Inspected the signed Code of Conduct and Acceptable Use Policy acknowledgements in BambooHR for a sample of new hires and compared the acknowledgement date with the date access was first granted in Okta.',
    ],
    attributes: [
      'The Code of Conduct acknowledgement is on file for the new hire.',
      'The Acceptable Use Policy acknowledgement is on file.',
      'Both acknowledgements are dated on or before the date access was first granted.',
    ],
  },
  {
    reference: 'CC1.2-01',
    description:
      'The Audit Committee of the Board of Directors meets quarterly and reviews information security, risk and compliance matters presented by the CISO; minutes are approved at the following meeting.',
    owner: 'Corporate Secretary',
    frequency: 'quarterly',
    nature: 'manual',
    controlType: 'detective',
    isKey: true,
    risk: 'lower',
    criteria: ['CC1.2', 'CC2.2'],
    procedures: [
      'Inquiry: Inquired of the CISO regarding the security and compliance reporting presented to the Audit Committee.',
      "Inspection: Inspected the Audit Committee agenda, the CISO's presentation and the approved minutes for the quarters selected to determine whether security, risk and compliance matters were reviewed.",
    ],
    attributes: [
      'The Audit Committee met in the quarter.',
      'Information security, risk and compliance matters are on the agenda and discussed in the minutes.',
      'The minutes were approved by the Audit Committee.',
    ],
  },
  {
    reference: 'CC1.3-01',
    description:
      'The COO reviews and approves the organization chart, including reporting lines for the security, engineering and operations functions, annually and upon significant reorganization.',
    owner: 'Chief Operating Officer',
    frequency: 'annual',
    nature: 'manual',
    controlType: 'preventive',
    isKey: false,
    risk: 'lower',
    criteria: ['CC1.3'],
    procedures: [
      'Inquiry: Inquired of the COO regarding the annual review of the organization chart and reporting lines.',
      "Inspection: Inspected the organization chart and evidence of the COO's approval to determine whether it was reviewed during the period and defines reporting lines for security, engineering and operations.",
    ],
    attributes: [
      'The organization chart was reviewed and approved by the COO during the period.',
      'Reporting lines for the security, engineering and operations functions are defined.',
    ],
  },
  {
    reference: 'CC1.4-01',
    description: "Background checks are completed and cleared by People Operations before a new hire's start date.",
    owner: 'People Operations Lead',
    frequency: 'event-driven',
    nature: 'manual',
    controlType: 'preventive',
    isKey: true,
    risk: 'lower',
    criteria: ['CC1.4'],
    procedures: [
      'Inquiry: Inquired of the People Operations Lead regarding the background check process and how clearance is recorded.',
      'Inspection: Inspected the background check report from the screening provider for a sample of new hires selected from the HR system hire listing to determine whether the check was cleared before the start date.',
    ],
    attributes: [
      'A background check report is on file for the new hire.',
      'The check was cleared on or before the start date.',
      'Clearance is recorded by People Operations in the HR system.',
    ],
  },
  {
    reference: 'CC1.4-02',
    description:
      'Employees complete security awareness training within 30 days of hire and annually thereafter; the Security team follows up on overdue training monthly.',
    owner: 'Security Awareness Manager',
    frequency: 'annual',
    nature: 'it-dependent-manual',
    controlType: 'preventive',
    isKey: false,
    risk: 'lower',
    criteria: ['CC1.4', 'CC2.2'],
    procedures: [
      'Inspection: Inspected the training completion report from the learning management system for the annual campaign and agreed the population of employees to the HR system headcount listing.',
      'Inspection: Inspected the follow-up emails and escalation tickets for employees whose training was overdue.',
    ],
    attributes: [
      'Every active employee is included in the annual training campaign.',
      'Training was completed, or overdue training was followed up and escalated by the Security team.',
    ],
  },
  {
    reference: 'CC1.5-01',
    description:
      "Annual performance evaluations assess each employee's adherence to security and compliance responsibilities; evaluations are signed off by the employee's manager.",
    owner: 'People Operations Lead',
    frequency: 'annual',
    nature: 'manual',
    controlType: 'detective',
    isKey: false,
    risk: 'lower',
    criteria: ['CC1.5'],
    procedures: [
      'Inquiry: Inquired of the People Operations Lead regarding the annual performance evaluation process.',
      'Inspection: Inspected the completed performance evaluation template and the HR system completion report to determine whether evaluations include security and compliance responsibilities and were signed off by managers.',
    ],
    attributes: [
      'The evaluation template includes security and compliance responsibilities.',
      "Evaluations were completed and signed off by the employee's manager during the period.",
    ],
  },
  {
    reference: 'CC2.1-01',
    description:
      "The Security team maintains an inventory of production systems, data stores and data flows, and reviews it quarterly for completeness against the cloud provider's resource listing.",
    owner: 'Security Engineering Manager',
    frequency: 'quarterly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: false,
    risk: 'lower',
    criteria: ['CC2.1'],
    procedures: [
      'Inspection: Inspected the quarterly inventory review ticket and the reconciliation of the system inventory to the Stratus Cloud resource export for the quarters selected.',
      'Reperformance: Reperformed the reconciliation for one quarter by agreeing a selection of resources from the resource export to the inventory.',
    ],
    attributes: [
      'The quarterly review was performed and documented in a ticket.',
      'Differences between the inventory and the resource export were investigated and resolved.',
      'The reviewer signed off the review.',
    ],
  },
  {
    reference: 'CC2.2-01',
    description:
      'The CISO reviews and approves the information security policies annually; approved policies are published on the company intranet and changes are communicated to all employees.',
    owner: 'Chief Information Security Officer',
    frequency: 'annual',
    nature: 'manual',
    controlType: 'preventive',
    isKey: true,
    risk: 'lower',
    criteria: ['CC2.2', 'CC5.3'],
    procedures: [
      "Inspection: Inspected the information security policy set for evidence of the CISO's annual review and approval during the period.",
      'Observation: Observed that the approved policies are published on the intranet and available to employees.',
      'Inspection: Inspected the all-staff communication announcing the policy changes.',
    ],
    attributes: [
      'The policies were reviewed and approved by the CISO during the period.',
      'The approved version is the version published on the intranet.',
      'Policy changes were communicated to all employees.',
    ],
  },
  {
    reference: 'CC2.3-01',
    description:
      'Legal reviews the customer-facing security commitments (terms of service, data processing agreement and Trust Center) annually and before any change is published.',
    owner: 'General Counsel',
    frequency: 'annual',
    nature: 'manual',
    controlType: 'preventive',
    isKey: false,
    risk: 'lower',
    criteria: ['CC2.3'],
    procedures: [
      'Inquiry: Inquired of the General Counsel regarding the review of customer-facing commitments.',
      'Inspection: Inspected the annual review record and the version history of the Trust Center and the data processing agreement to determine whether published changes were approved by Legal.',
    ],
    attributes: [
      'The annual review was performed by Legal.',
      'Each change published during the period was approved by Legal before publication.',
    ],
  },
  {
    reference: 'CC3.2-01',
    description:
      'Management performs an annual risk assessment that identifies threats to the system, including fraud, assesses likelihood and impact, and assigns responses; the Executive Risk Committee approves it.',
    owner: 'Head of Risk and Compliance',
    frequency: 'annual',
    nature: 'manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CC3.1', 'CC3.2', 'CC3.3'],
    procedures: [
      'Inquiry: Inquired of the Head of Risk and Compliance regarding the risk assessment methodology, including how fraud risks are considered.',
      'Inspection: Inspected the risk assessment and risk register to determine whether objectives are specified, threats including fraud are identified, and likelihood, impact and responses are recorded.',
      'Inspection: Inspected the Executive Risk Committee minutes for approval of the risk assessment.',
    ],
    attributes: [
      'The risk assessment was performed during the period.',
      'Fraud risks are identified and assessed.',
      'Each risk has a likelihood, an impact and a response with an owner.',
      'The Executive Risk Committee approved the risk assessment.',
    ],
  },
  {
    reference: 'CC3.4-01',
    description:
      'The Executive Risk Committee reviews significant changes (new products, vendors, regulations and organizational changes) quarterly and updates the risk register.',
    owner: 'Head of Risk and Compliance',
    frequency: 'quarterly',
    nature: 'manual',
    controlType: 'detective',
    isKey: false,
    risk: 'lower',
    criteria: ['CC3.4'],
    procedures: [
      'Inspection: Inspected the Executive Risk Committee minutes for the quarters selected to determine whether significant changes were discussed.',
      'Inspection: Inspected the risk register change history to determine whether it was updated for the changes discussed.',
    ],
    attributes: [
      'The committee met and reviewed significant changes in the quarter.',
      'The risk register was updated for the changes identified.',
    ],
  },
  {
    reference: 'CC4.1-01',
    description:
      'Compliance performs quarterly control self-assessments of key controls and reports the results to the Executive Risk Committee.',
    owner: 'Compliance Manager',
    frequency: 'quarterly',
    nature: 'manual',
    controlType: 'detective',
    isKey: false,
    risk: 'lower',
    criteria: ['CC4.1'],
    procedures: [
      'Inspection: Inspected the quarterly self-assessment workbook and the report to the Executive Risk Committee for the quarters selected.',
      "Reperformance: Reperformed the self-assessment test of one key control for one quarter and compared our result with Compliance's conclusion.",
    ],
    attributes: [
      'The self-assessment covered the key controls listed in the compliance plan.',
      'Results were reported to the Executive Risk Committee.',
    ],
  },
  {
    reference: 'CC4.2-01',
    description:
      'Control deficiencies from self-assessments, audits and incidents are logged in the GRC tool with an owner and a due date; Compliance reviews open deficiencies monthly and escalates overdue items to the COO.',
    owner: 'Compliance Manager',
    frequency: 'monthly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: false,
    risk: 'lower',
    criteria: ['CC4.2'],
    procedures: [
      'Inspection: Inspected the monthly deficiency review for the months selected, including the open deficiency report from the GRC tool.',
      'Inspection: Inspected the escalation emails to the COO for deficiencies past their due date.',
    ],
    attributes: [
      'The monthly review was performed and evidenced.',
      'Each open deficiency has an owner and a due date.',
      'Overdue deficiencies were escalated to the COO.',
    ],
  },
  {
    reference: 'CC5.1-01',
    description:
      'Compliance reviews the mapping of risks to control activities, including general controls over technology, annually and assigns owners to any gap.',
    owner: 'Compliance Manager',
    frequency: 'annual',
    nature: 'manual',
    controlType: 'detective',
    isKey: false,
    risk: 'lower',
    criteria: ['CC5.1', 'CC5.2'],
    procedures: [
      'Inquiry: Inquired of the Compliance Manager regarding the annual review of the risk and control mapping.',
      'Inspection: Inspected the risk and control matrix review to determine whether each significant risk is mapped to control activities, including technology general controls, and whether gaps were assigned an owner.',
    ],
    attributes: [
      'The mapping was reviewed during the period.',
      'Each significant risk in the register maps to at least one control activity.',
      'Gaps identified were assigned an owner and a due date.',
    ],
  },
];
