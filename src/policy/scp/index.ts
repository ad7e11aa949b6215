/** Service control policies: the organization tree, the SCP path of an account, and the playground files. */
export { loadScpTree, ORGANIZATION_FILE, parseScpTree, POLICIES_DIR, SCP_MAX_CHARACTERS, type ScpLoadOptions } from './load.js';
export { OrganizationFileSchema } from './schema.js';
export { scpPathFor, walk, type OrgAccount, type OrgScpTree, type OrgUnit, type ScpPath, type ScpPolicy } from './tree.js';
