import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Org } from '../config/schemas.js';
import type { IamCatalog } from './catalog.js';
import { defaultGuardrails, loadGuardrails, type Guardrails } from './guardrails/index.js';
import { RequestPolicyGate } from './request-policy-gate.js';
import { loadScpTree, TreeScpSource, type ScpSource } from './scp/index.js';

export interface PolicyGateFiles {
  /** Folder of the policy files; `guardrails.yaml` and `scps/` there are used when present. */
  configDir: string;
  /** An explicit guardrails file: it must exist. */
  guardrailsFile?: string | undefined;
  /** An explicit SCP folder (organization.yaml + policies/): it must exist. */
  scpDir?: string | undefined;
  /** SCPs read live (AWS Organizations) instead of from files; the SCP folder is then not read. */
  scpSource?: ScpSource | undefined;
}

/**
 * The guardrails from files, and the organization's SCPs from files or the live source given (AWS
 * Organizations). Without a guardrails file the built-in defaults apply (expiry condition, wildcard
 * refusals); without SCPs the card says they were not simulated. An explicitly named file that is
 * missing or broken stops start-up.
 */
export interface LoadedPolicyGate {
  gate: RequestPolicyGate;
  sources: string[];
  /** What the gate was built from, for a gate that follows admin changes (HeldPolicyGate). */
  guardrails: Guardrails;
  /** The guardrails file's text; undefined when the built-in defaults apply. */
  guardrailsText: string | undefined;
  /** Where each request's SCPs come from; undefined: SCPs are not simulated. */
  scps: ScpSource | undefined;
}

export async function loadPolicyGate(files: PolicyGateFiles, org: Org, catalog: IamCatalog): Promise<LoadedPolicyGate> {
  const guardrailsFile = files.guardrailsFile ?? join(files.configDir, 'guardrails.yaml');
  const useGuardrails = files.guardrailsFile !== undefined || existsSync(guardrailsFile);
  const guardrails = useGuardrails ? await loadGuardrails(guardrailsFile, org) : defaultGuardrails();
  const scps = files.scpSource ?? (await scpFiles(files, catalog));
  const sources = [useGuardrails ? `guardrails=${guardrailsFile}` : 'guardrails=built-in', `scps=${scps?.description ?? 'none'}`];
  const guardrailsText = useGuardrails ? await readFile(guardrailsFile, 'utf8') : undefined;
  return { gate: new RequestPolicyGate({ catalog, guardrails, ...(scps ? { scps } : {}) }), sources, guardrails, guardrailsText, scps };
}

async function scpFiles(files: PolicyGateFiles, catalog: IamCatalog): Promise<ScpSource | undefined> {
  const scpDir = files.scpDir ?? join(files.configDir, 'scps');
  if (files.scpDir === undefined && !existsSync(scpDir)) return undefined;
  return new TreeScpSource(await loadScpTree(scpDir, { catalog }), scpDir);
}
