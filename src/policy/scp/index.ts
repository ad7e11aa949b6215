/** Service control policies: the organization tree, the SCP path of an account, the playground files, and the sources the gate reads. */
export { loadScpTree, ORGANIZATION_FILE, parseScpTree, POLICIES_DIR, SCP_MAX_CHARACTERS, type ScpLoadOptions } from './load.js';
export { OrganizationFileSchema } from './schema.js';
export { CachedScpSource, type CachedScpSourceOptions } from './cached-source.js';
export { scpFailureReason, ScpUnavailableError, TreeScpSource, type AccountScps, type ScpSource } from './source.js';
export { scpPathFor, walk, type OrgAccount, type OrgScpTree, type OrgUnit, type ScpPath, type ScpPolicy } from './tree.js';
