// Nimbus Ledger's logical access controls (CC6): the first part of OPERATIONS_CONTROLS.
import type { DemoControl } from './demo-control.js';

export const LOGICAL_ACCESS_CONTROLS: DemoControl[] = [
  {
    reference: 'CC6.1-01',
    description:
      'Access to the production environment and corporate applications requires single sign-on through Okta with multi-factor authentication enforced by a global sign-on policy.',
    owner: 'IT Operations Manager',
    frequency: 'multiple-daily',
    nature: 'automated',
    controlType: 'preventive',
    isKey: true,
    risk: 'lower',
    criteria: ['CC6.1'],
    procedures: [
      'Inspection: Inspected the Okta global sign-on policy and the authentication policies of the production applications to determine whether MFA is required for every sign-in.',
      'Observation: Observed a user attempting to sign in to the production console without a second factor and noted that access was denied.',
    ],
    attributes: [
      'The sign-on policy requires MFA for all users and applications.',
      'A sign-in without a second factor is denied.',
    ],
  },
  {
    reference: 'CC6.1-02',
    description:
      'Customer data is encrypted at rest (AES-256, keys in the cloud key management service) and in transit (TLS 1.2 or higher); the load balancer security policy rejects weaker protocols.',
    owner: 'Security Engineering Manager',
    frequency: 'multiple-daily',
    nature: 'automated',
    controlType: 'preventive',
    isKey: true,
    risk: 'lower',
    criteria: ['CC6.1', 'CC6.7'],
    procedures: [
      'Inspection: Inspected the encryption configuration of the production databases and storage buckets.',
      'Inspection: Inspected the load balancer security policy and the TLS scan of the public endpoints.',
      'Reperformance: Reperformed a TLS handshake against the application endpoint using TLS 1.1 and noted that it was refused.',
    ],
    attributes: [
      'Production data stores are encrypted at rest with keys held in the key management service.',
      'Only TLS 1.2 or higher is accepted by the public endpoints.',
    ],
  },
  {
    reference: 'CC6.1-03',
    description:
      'Staff reach the production platform only through managed virtual desktops; the MDM policy blocks local storage and copying of customer data to laptops, and IT reviews the weekly MDM compliance report.',
    owner: 'IT Support Lead',
    frequency: 'weekly',
    nature: 'it-dependent-manual',
    controlType: 'preventive',
    isKey: false,
    risk: 'lower',
    criteria: ['CC6.1', 'CC6.7'],
    procedures: [
      'Inspection: Inspected the MDM policy to determine whether local storage and clipboard transfer from the virtual desktops are blocked.',
      "Inspection: Inspected the weekly MDM compliance report and IT's review notes for the weeks selected.",
    ],
    attributes: [
      'The MDM policy blocked local storage throughout the week.',
      'The weekly compliance report was reviewed by IT and exceptions were remediated.',
    ],
  },
  {
    reference: 'CC6.2-01',
    description:
      "New user access to production systems is requested in Jira and approved by the user's manager and the system owner before IT provisions it.",
    owner: 'IT Operations Manager',
    frequency: 'event-driven',
    nature: 'manual',
    controlType: 'preventive',
    isKey: true,
    risk: 'higher',
    criteria: ['CC6.2'],
    procedures: [
      'Inquiry: Inquired of the IT Operations Manager regarding the access request and provisioning process.',
      'Inspection: Inspected the Jira access request for a sample of new user accounts selected from the Okta user creation log to determine whether access was approved before it was provisioned.',
      'Inspection: Compared the access provisioned in Okta with the access approved in the request.',
    ],
    attributes: [
      'An access request exists in Jira for the new user.',
      "The request was approved by the user's manager and by the system owner.",
      'Approval is dated before access was provisioned.',
      'The access provisioned agrees with the access approved.',
    ],
  },
  {
    reference: 'CC6.3-01',
    description:
      'Access of terminated employees and contractors to Okta and production systems is revoked within one business day of the termination date, triggered by the HR termination ticket.',
    owner: 'IT Operations Manager',
    frequency: 'event-driven',
    nature: 'it-dependent-manual',
    controlType: 'preventive',
    isKey: true,
    risk: 'higher',
    criteria: ['CC6.2', 'CC6.3'],
    procedures: [
      'Inspection: Obtained the listing of terminations from the HR system and agreed its completeness to the payroll leavers report.',
      'Inspection: Inspected the Okta deactivation log and the termination ticket for a sample of terminated users to determine whether access was revoked within one business day of the termination date.',
      'Reperformance: Reperformed a search for the sampled users among the active accounts of the production database and the admin console.',
    ],
    attributes: [
      'A termination ticket was raised by HR.',
      'The Okta account was deactivated within one business day of the termination date.',
      'The user has no active account on the production database or the admin console.',
    ],
  },
  {
    reference: 'CC6.3-02',
    description:
      'System owners review user access to production AWS accounts, the production database and the admin console quarterly; changes identified are removed within five business days.',
    owner: 'Security Engineering Manager',
    frequency: 'quarterly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: true,
    risk: 'higher',
    criteria: ['CC6.3', 'CC6.2'],
    procedures: [
      "Inspection: Inspected the quarterly access review for the quarters selected, including the system-generated user listings reviewed and the reviewers' sign-off.",
      "Inspection: Agreed the user listings used in the review to the systems' own user reports (completeness and accuracy of the listing).",
      'Inspection: Inspected the tickets for access removals requested in the review.',
    ],
    attributes: [
      'The review covered every in-scope system.',
      'The user listing reviewed was complete and accurate.',
      'The review was signed off by the system owner.',
      'Access flagged for removal was removed within five business days.',
    ],
  },
  {
    reference: 'CC6.6-01',
    description:
      'Inbound traffic to production is restricted by security groups and a web application firewall defined in Terraform; changes to the rules go through the change management process.',
    owner: 'Site Reliability Engineering Lead',
    frequency: 'multiple-daily',
    nature: 'automated',
    controlType: 'preventive',
    isKey: true,
    risk: 'lower',
    criteria: ['CC6.6'],
    procedures: [
      'Inspection: Inspected the security group and WAF configuration in the Terraform repository and the running configuration exported from the cloud console.',
      'Reperformance: Reperformed a port scan of the production address range from outside the network and compared the open ports with the approved ports.',
    ],
    attributes: [
      'Only the approved ports are open to the internet.',
      'The WAF is enabled on the public load balancer with the managed rule set.',
    ],
  },
  {
    reference: 'CC6.8-01',
    description:
      'Endpoint detection and response software runs on all laptops and servers; IT reviews the weekly compliance report and remediates devices without a healthy agent.',
    owner: 'IT Support Lead',
    frequency: 'weekly',
    nature: 'it-dependent-manual',
    controlType: 'detective',
    isKey: false,
    risk: 'lower',
    criteria: ['CC6.8'],
    procedures: [
      "Inspection: Inspected the weekly EDR compliance report and IT's review notes for the weeks selected.",
      'Inspection: Inspected the remediation tickets for non-compliant devices listed in those reports.',
    ],
    attributes: ['The weekly report was reviewed by IT.', 'Each non-compliant device was remediated or isolated.'],
  },
];
