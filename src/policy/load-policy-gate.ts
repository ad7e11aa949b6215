import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Org } from '../config/schemas.js';
import type { IamCatalog } from './catalog.js';
import { defaultGuardrails, loadGuardrails, type Guardrails } from './guardrails/index.js';
import { RequestPolicyGate } from './request-policy-gate.js';
import { loadScpTree, type OrgScpTree } from './scp/index.js';

export interface PolicyGateFiles {
  /** Folder of the policy files; `guardrails.yaml` and `scps/` there are used when present. */
  configDir: string;
  /** An explicit guardrails file: it must exist. */
  guardrailsFile?: string | undefined;
  /** An explicit SCP folder (organization.yaml + policies/): it must exist. */
  scpDir?: string | undefined;
}

/**
 * The guardrails and the organization's SCPs from files. Without a guardrails file the built-in
 * defaults apply (expiry condition, wildcard refusals); without SCPs the card says they were not
 * simulated. An explicitly named file that is missing or broken stops start-up.
 */
export interface LoadedPolicyGate {
  gate: RequestPolicyGate;
  sources: string[];
  /** What the gate was built from, for a gate that follows admin changes (HeldPolicyGate). */
  guardrails: Guardrails;
  /** The guardrails file's text; undefined when the built-in defaults apply. */
  guardrailsText: string | undefined;
  scps: OrgScpTree | undefined;
}

export async function loadPolicyGate(files: PolicyGateFiles, org: Org, catalog: IamCatalog): Promise<LoadedPolicyGate> {
  const guardrailsFile = files.guardrailsFile ?? join(files.configDir, 'guardrails.yaml');
  const useGuardrails = files.guardrailsFile !== undefined || existsSync(guardrailsFile);
  const guardrails = useGuardrails ? await loadGuardrails(guardrailsFile, org) : defaultGuardrails();
  const scpDir = files.scpDir ?? join(files.configDir, 'scps');
  const useScps = files.scpDir !== undefined || existsSync(scpDir);
  const scps = useScps ? await loadScpTree(scpDir, { catalog }) : undefined;
  const sources = [useGuardrails ? `guardrails=${guardrailsFile}` : 'guardrails=built-in', useScps ? `scps=${scpDir}` : 'scps=none'];
  const guardrailsText = useGuardrails ? await readFile(guardrailsFile, 'utf8') : undefined;
  return { gate: new RequestPolicyGate({ catalog, guardrails, ...(scps ? { scps } : {}) }), sources, guardrails, guardrailsText, scps };
}
