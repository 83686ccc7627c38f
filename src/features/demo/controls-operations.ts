// Nimbus Ledger's operations, change management, risk mitigation and availability controls (CC7–CC9, A1),
// after its logical access controls (CC6, controls-logical-access.ts).
import type { DemoControl } from './demo-control.js';
import { LOGICAL_ACCESS_CONTROLS } from './controls-logical-access.js';

export const OPERATIONS_CONTROLS: DemoControl[] = [
  ...LOGICAL_ACCESS_CONTROLS,
  {
    reference: 'CC7.1-01',
    description:
      'Production is scanned for vulnerabilities weekly; the Security team reviews the results monthly and tracks critical and high findings to remediation within 15 and 30 days.',
    owner: 'Security Engineering Manager',
    frequency: 'monthly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CC7.1'],
    procedures: [
      'Inspection: Inspected the scanner configuration to determine whether weekly scans cover the production address ranges and container images.',
      'Inspection: Inspected the monthly vulnerability review for the months selected and the remediation tickets for critical and high findings.',
    ],
    attributes: [
      'The monthly review was performed and evidenced.',
      'Critical findings were remediated within 15 days, or a risk acceptance was approved.',
      'High findings were remediated within 30 days, or a risk acceptance was approved.',
    ],
  },
  {
    reference: 'CC7.2-01',
    description:
      'The SIEM raises alerts on anomalous activity (failed sign-ins, privilege changes, unusual data access); the Security on-call engineer reviews and triages alerts daily in the ticketing system.',
    owner: 'Security Operations Lead',
    frequency: 'daily',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CC7.2', 'CC7.3'],
    procedures: [
      'Inspection: Inspected the SIEM alert rules to determine whether they cover the events listed in the monitoring standard.',
      'Inspection: Inspected the daily alert triage record for a sample of days to determine whether every alert was reviewed and triaged.',
    ],
    attributes: [
      'Every alert raised on the day has a triage ticket.',
      'Triage was performed by the on-call engineer on the day or the next business day.',
      'Alerts classified as incidents were escalated to the incident process.',
    ],
  },
  {
    reference: 'CC7.2-02',
    description:
      "Security events from the cloud provider's audit logs are forwarded to the SIEM; the Security Operations Lead reviews the log-source health report monthly and restores any source that stopped sending.",
    owner: 'Security Operations Lead',
    frequency: 'monthly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: false,
    risk: 'lower',
    criteria: ['CC7.2'],
    procedures: [
      "Inspection: Inspected the SIEM log-source configuration to determine whether the cloud provider's audit logs are forwarded.",
      'Inspection: Inspected the monthly log-source health review for the months selected and the tickets for sources restored.',
    ],
    attributes: [
      'The monthly review was performed and evidenced.',
      'Every log source that stopped sending was restored, with a ticket.',
    ],
  },
  {
    reference: 'CC7.4-01',
    description:
      'Security incidents are logged, classified by severity and handled under the incident response plan; severity 1 and 2 incidents receive a post-incident review with corrective actions.',
    owner: 'Security Operations Lead',
    frequency: 'event-driven',
    nature: 'manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CC7.3', 'CC7.4', 'CC7.5'],
    procedures: [
      'Inquiry: Inquired of the Security Operations Lead regarding incidents during the period and how they are classified.',
      'Inspection: Inspected the incident tickets for a sample of incidents to determine whether they were classified and handled under the plan.',
      'Inspection: Inspected the post-incident reviews of severity 1 and 2 incidents and the tracking of their corrective actions.',
    ],
    attributes: [
      'The incident was logged and classified by severity.',
      'Response followed the incident response plan, including communication where required.',
      'A post-incident review was completed for severity 1 and 2 incidents.',
    ],
  },
  {
    reference: 'CC7.5-01',
    description:
      'The incident response and recovery plan is tested annually in a tabletop exercise; lessons learned are recorded and the plan is updated.',
    owner: 'Chief Information Security Officer',
    frequency: 'annual',
    nature: 'manual',
    controlType: 'detective',
    isKey: false,
    risk: 'lower',
    criteria: ['CC7.4', 'CC7.5'],
    procedures: [
      'Inspection: Inspected the tabletop exercise report, attendance and the lessons learned.',
      "Inspection: Inspected the plan's version history for updates made after the exercise.",
    ],
    attributes: [
      'A tabletop exercise was performed during the period.',
      'Lessons learned were recorded and the plan was updated.',
    ],
  },
  {
    reference: 'CC8.1-01',
    description:
      'Changes to production code and infrastructure are made through pull requests that are peer reviewed and approved by someone other than the author and pass automated tests before deployment.',
    owner: 'VP Engineering',
    frequency: 'event-driven',
    nature: 'it-dependent-manual',
    controlType: 'preventive',
    isKey: true,
    risk: 'higher',
    criteria: ['CC8.1'],
    procedures: [
      'Inspection: Obtained the population of production deployments from the deployment pipeline and agreed its completeness to the GitHub merge history of the main branch.',
      'Inspection: Inspected a sample of changes deployed to production during the period to determine whether each was approved before deployment by someone other than the developer and passed the automated tests.',
      'Inquiry: Inquired of the VP Engineering regarding emergency changes and their retrospective approval.',
    ],
    attributes: [
      'The change was approved in the pull request before it was deployed.',
      'The approver is not the developer of the change.',
      'The automated test suite passed before deployment.',
      'Emergency changes were approved retrospectively within two business days.',
    ],
  },
  {
    reference: 'CC8.1-02',
    description:
      'Branch protection on the main branch of the production repositories prevents a merge without an approving review and a passing build; administrators cannot bypass it.',
    owner: 'VP Engineering',
    frequency: 'multiple-daily',
    nature: 'automated',
    controlType: 'preventive',
    isKey: true,
    risk: 'lower',
    criteria: ['CC8.1'],
    procedures: [
      'Inspection: Inspected the branch protection settings of the production repositories.',
      'Reperformance: Reperformed an attempt to merge an unapproved pull request into a protected branch and noted that the merge was blocked.',
    ],
    attributes: [
      'Branch protection requires an approving review and a passing build.',
      'Administrators are included in the restriction.',
    ],
  },
  {
    reference: 'CC9.1-01',
    description:
      'The business continuity plan is reviewed and approved annually by the COO and covers the risk of disruption to the platform, including the loss of a cloud region.',
    owner: 'Chief Operating Officer',
    frequency: 'annual',
    nature: 'manual',
    controlType: 'preventive',
    isKey: false,
    risk: 'lower',
    criteria: ['CC9.1'],
    procedures: [
      "Inspection: Inspected the business continuity plan and evidence of the COO's approval during the period.",
      'Inspection: Inspected the plan for the scenarios covered, including the loss of a cloud region.',
    ],
    attributes: ['The plan was approved during the period.', 'The plan covers the loss of a cloud region.'],
  },
  {
    reference: 'CC9.2-01',
    description:
      'Annually, the Compliance team obtains and reviews the SOC reports of critical vendors and subservice organizations, including their complementary user entity controls, and follows up exceptions.',
    owner: 'Compliance Manager',
    frequency: 'annual',
    nature: 'manual',
    controlType: 'detective',
    isKey: true,
    risk: 'lower',
    criteria: ['CC9.2'],
    procedures: [
      'Inspection: Inspected the vendor inventory to identify the critical vendors and subservice organizations.',
      "Inspection: Inspected Compliance's review of each critical vendor's SOC report, including the mapping of the vendor's CUECs to Nimbus Ledger controls and the follow-up of exceptions.",
    ],
    attributes: [
      'A current SOC report was obtained for the vendor.',
      "The review addresses the vendor's CUECs.",
      'Exceptions in the report were assessed and followed up.',
    ],
  },
  {
    reference: 'A1.1-01',
    description:
      'Capacity (CPU, memory, storage, database connections) is monitored with automated alerts at 80% utilisation; the SRE team reviews capacity trends weekly and raises tickets for scaling.',
    owner: 'Site Reliability Engineering Lead',
    frequency: 'weekly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: false,
    risk: 'lower',
    criteria: ['A1.1'],
    procedures: [
      'Inspection: Inspected the monitoring alert thresholds for the production services.',
      'Inspection: Inspected the weekly capacity review notes for the weeks selected and the scaling tickets raised.',
    ],
    attributes: [
      'The weekly capacity review was performed.',
      'Utilisation above the threshold led to a scaling ticket.',
    ],
  },
  {
    reference: 'A1.2-01',
    description:
      'Production databases are backed up daily to a separate region; backup failures raise an alert and are resolved by the SRE on call, who re-runs the backup the same day.',
    owner: 'Site Reliability Engineering Lead',
    frequency: 'daily',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['A1.2'],
    procedures: [
      'Inspection: Inspected the backup schedule and the cross-region replication configuration.',
      'Inspection: Inspected the backup job log for a sample of days to determine whether the backup completed, and the alert and rerun ticket for any failed job.',
    ],
    attributes: [
      'The daily backup completed successfully, or its failure was alerted.',
      'A failed backup was re-run successfully the same day.',
      'The backup is stored in a region separate from production.',
    ],
  },
  {
    reference: 'A1.3-01',
    description:
      'The SRE team restores a production database backup to an isolated environment quarterly and verifies its integrity; results and recovery time are recorded.',
    owner: 'Site Reliability Engineering Lead',
    frequency: 'quarterly',
    nature: 'manual',
    controlType: 'detective',
    isKey: true,
    risk: 'lower',
    criteria: ['A1.3', 'A1.2'],
    procedures: [
      'Inspection: Inspected the restore test record for the quarters selected, including the integrity checks and the recovery time achieved.',
      'Observation: Observed the restore test performed in the fourth quarter.',
    ],
    attributes: [
      'A restore test was performed in the quarter.',
      'Integrity checks on the restored data passed.',
      'The recovery time was within the recovery time objective, or the shortfall was followed up.',
    ],
  },
];
