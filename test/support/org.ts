import type { Org } from '../../src/config/schemas.js';

/**
 * The sample org of examples/org.yaml as a value: two accounts, ana (requester), ben and carla
 * (approvers), dave (platform admin). Shared by tests of several features: keep it as it is.
 */
export const sampleOrg: Org = {
  accounts: [
    { id: '111111111111', name: 'payments-prod', environment: 'prod', region: 'eu-west-1' },
    { id: '222222222222', name: 'sandbox', environment: 'dev', region: 'us-east-1' },
  ],
  users: [
    { id: 'ana', name: 'Ana Lima', email: 'ana@example.com', slackId: 'U0ANA', awsPrincipal: 'arn:aws:iam::111111111111:role/ana' },
    { id: 'ben', name: 'Ben Okafor', email: 'ben@example.com', slackId: 'U0BEN', awsPrincipal: 'arn:aws:iam::111111111111:role/ben' },
    { id: 'carla', name: 'Carla Diaz', email: 'carla@example.com', slackId: 'U0CARLA', awsPrincipal: 'arn:aws:iam::111111111111:role/carla' },
    { id: 'dave', name: 'Dave Kim', email: 'dave@example.com', slackId: 'U0DAVE', awsPrincipal: 'arn:aws:iam::111111111111:role/dave' },
  ],
  groups: [
    { id: 'engineers', members: ['ana', 'dave'] },
    { id: 'payments-leads', members: ['ben', 'carla'] },
    { id: 'platform', members: ['dave'] },
  ],
};
