import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Directory } from '../access/directory.js';
import { UserFacingError } from '../access/errors.js';
import { scanFailedCard, scanProgressCard } from '../chat/cards/scan-progress.js';
import { scanSummaryMessage } from '../chat/cards/scan-summary.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../clock.js';
import type { Account, AccessRules } from '../config/schemas.js';
import type { ScanChat } from './chat.js';
import type { ScanCommand } from './command.js';
import { scanRoleArn, type ScanConfig } from './config.js';
import type { Tool } from './finding.js';
import type { ScanIdGenerator } from './ids.js';
import { ingestResults, problemsOf } from './ingest.js';
import type { ParseIssue } from './parsers/issues.js';
import { canScan } from './permissions.js';
import type { PollRuntime } from './poll.js';
import { detectFileFormat, detectFolder, FORMAT_TOOL, type ResultSource } from './results/detect.js';
import { baseName, type ResultFile } from './results/files.js';
import { localFile, localFolder } from './results/local-files.js';
import { joinLocation, type ResultsReader } from './results/reader.js';
import type { ScanExecutionInput, ScanOutput, ScanRunner } from './runner.js';
import type { Scan, ScanSummary, ToolState } from './scan.js';
import type { ScanStore } from './store.js';
import { summarizeScan } from './summarize.js';
import type { FindingClassifier } from './wafr/ai-classifier.js';
import type { WafrCatalog } from './wafr/catalog.js';

/** The ports the scan workflows take. Tests pass SQLite in memory, the fake Slack, a mocked SFN client. */
export interface ScanDeps {
  scans: ScanStore;
  /** Null when no state machine is configured: only imports then. */
  runner: ScanRunner | null;
  results: ResultsReader;
  chat: ScanChat;
  catalog: WafrCatalog;
  clock: Clock;
  ids: ScanIdGenerator;
  directory: Directory;
  rules: AccessRules;
  config: ScanConfig;
  logger: Logger;
  poll: Omit<PollRuntime, 'clock'>;
  /** Bedrock classification of the findings the deterministic mapping leaves unmapped; absent: skipped, with a note. */
  classifier?: FindingClassifier | undefined;
}

export type StartOutcome = { kind: 'started'; scan: Scan } | { kind: 'busy'; active: Scan; link: string | undefined };

/** Thrown when another writer changed the scan first; the caller reloads or lets the winner carry on. */
export class ScanChangedError extends Error {
  constructor(scanId: string) {
    super(`Scan ${scanId} was changed by another writer.`);
    this.name = 'ScanChangedError';
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function resolveAccount(deps: Pick<ScanDeps, 'directory' | 'config'>, name: string | undefined): Account {
  const wanted = name ?? deps.config.defaultAccount ?? (deps.directory.org.accounts.length === 1 ? deps.directory.org.accounts[0]!.id : undefined);
  const names = deps.directory.org.accounts.map((a) => `\`${a.name}\``).join(', ');
  if (!wanted) throw new UserFacingError(`Say which account to scan: \`/scan <account>\`, one of ${names}.`);
  const account = deps.directory.account(wanted);
  if (!account) throw new UserFacingError(`I don't know the account \`${wanted}\`. Accounts: ${names}.`);
  return account;
}

function requireScanner(deps: ScanDeps, userId: string, account: Account): void {
  if (canScan(deps.directory, deps.rules, deps.config.scanGroups, userId, account)) return;
  const groups = deps.config.scanGroups.map((g) => `\`${g}\``).join(', ');
  throw new UserFacingError(`Only the approvers of ${account.name} and the members of ${groups || 'the scan groups'} may scan it or import its results.`);
}

/** Writes `patch` onto `scan` as the next version; throws ScanChangedError when someone else wrote first. */
export async function updateScan(deps: Pick<ScanDeps, 'scans' | 'clock'>, scan: Scan, patch: Partial<Scan>): Promise<Scan> {
  const next: Scan = { ...scan, ...patch, version: scan.version + 1, updatedAt: deps.clock.now().toISOString() };
  if (!(await deps.scans.saveScan(next, scan.version))) throw new ScanChangedError(scan.id);
  return next;
}

function requesterName(deps: Pick<ScanDeps, 'directory'>, scan: Scan): string {
  return deps.directory.displayName(scan.requestedBy);
}

async function showProgress(deps: ScanDeps, scan: Scan): Promise<void> {
  if (!scan.message) return;
  try {
    await deps.chat.update(scan.message, scanProgressCard(scan, requesterName(deps, scan)));
  } catch (error) {
    // Progress is a courtesy: a failed update must not stop the scan.
    deps.logger.error('could not update scan progress', { scanId: scan.id, error: errorText(error) });
  }
}

function newScan(deps: ScanDeps, fields: Pick<Scan, 'accountId' | 'accountName' | 'source' | 'state' | 'tools' | 'regions' | 'requestedBy' | 'channel'>): Scan {
  const now = deps.clock.now().toISOString();
  const toolStates: Partial<Record<Tool, ToolState>> = {};
  for (const tool of fields.tools) toolStates[tool] = fields.source === 'import' ? 'running' : 'pending';
  return {
    id: deps.ids.scanId(),
    ...fields,
    version: 1,
    toolStates,
    message: null,
    executionArn: null,
    resultsLocation: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    error: null,
    summary: null,
  };
}

async function busy(deps: ScanDeps, active: Scan): Promise<StartOutcome> {
  const link = active.message ? await deps.chat.permalink(active.message).catch(() => undefined) : undefined;
  return { kind: 'busy', active, link };
}

/** Marks a scan failed and says so in its message. Never throws: it is the last resort of other paths. */
export async function failScan(deps: ScanDeps, scan: Scan, reason: string, toolStates?: Scan['toolStates']): Promise<Scan> {
  let failed = scan;
  try {
    failed = await updateScan(deps, scan, { state: 'failed', error: reason, finishedAt: deps.clock.now().toISOString(), ...(toolStates ? { toolStates } : {}) });
  } catch (error) {
    deps.logger.error('could not record a failed scan', { scanId: scan.id, error: errorText(error) });
    return scan;
  }
  if (failed.message) {
    await deps.chat.update(failed.message, scanFailedCard(failed, requesterName(deps, failed))).catch((error: unknown) => {
      deps.logger.error('could not show a failed scan', { scanId: scan.id, error: errorText(error) });
    });
  }
  return failed;
}

/**
 * `/scan [account] [--tools …] [--region …]`: checks who asks, refuses a second scan of an account
 * while one runs, posts the progress message and starts the state machine. Tracking is the
 * caller's (ScanTracker.track), so this returns as soon as the execution has started.
 */
export async function startScan(deps: ScanDeps, request: { userId: string; channel: string; command: Extract<ScanCommand, { kind: 'start' }> }): Promise<StartOutcome> {
  if (!deps.runner) {
    throw new UserFacingError('Scans are not set up here (no scan state machine is configured). Teams that run the tools themselves can use `/scan import`.');
  }
  const account = resolveAccount(deps, request.command.account);
  requireScanner(deps, request.userId, account);
  const scan = newScan(deps, {
    accountId: account.id,
    accountName: account.name,
    source: 'stepfunctions',
    state: 'starting',
    tools: request.command.tools ?? deps.config.defaultTools,
    regions: request.command.regions,
    requestedBy: request.userId,
    channel: request.channel,
  });
  const created = await deps.scans.createScan(scan);
  if (!created.created) return busy(deps, created.active);

  let current = scan;
  try {
    const message = await deps.chat.post(request.channel, scanProgressCard(current, requesterName(deps, current)));
    current = await updateScan(deps, current, { message });
    const { executionArn } = await deps.runner.start(executionInput(deps, current));
    current = await updateScan(deps, current, { executionArn, state: 'running' });
    await showProgress(deps, current);
    return { kind: 'started', scan: current };
  } catch (error) {
    deps.logger.error('could not start a scan', { scanId: current.id, error: errorText(error) });
    await failScan(deps, current, `The scan could not be started: ${errorText(error)}`);
    throw new UserFacingError(`The scan of ${account.name} could not be started. The platform team can find why in Warden's log (scan ${current.id}).`);
  }
}

/** The state machine's input for a scan; the same for a retried start, so the start stays idempotent. */
function executionInput(deps: Pick<ScanDeps, 'config'>, scan: Scan): ScanExecutionInput {
  return {
    scanId: scan.id,
    account: { id: scan.accountId, name: scan.accountName },
    roleArn: scanRoleArn(deps.config, scan.accountId),
    regions: scan.regions,
    tools: scan.tools,
    requestedBy: scan.requestedBy,
    channel: scan.channel,
    message: scan.message,
  };
}

/**
 * A scan left in `starting` (Warden stopped between recording it and starting the execution): start
 * it again. The execution is named by the scan id, so if the first start did reach Step Functions the
 * same execution is found rather than a second one started.
 */
export async function retryStart(deps: ScanDeps, scan: Scan): Promise<Scan> {
  if (!deps.runner) return failScan(deps, scan, 'Scans are no longer set up here (no scan state machine).');
  try {
    let current = scan;
    if (!current.message) {
      const message = await deps.chat.post(current.channel, scanProgressCard(current, requesterName(deps, current)));
      current = await updateScan(deps, current, { message });
    }
    const { executionArn } = await deps.runner.start(executionInput(deps, current));
    current = await updateScan(deps, current, { executionArn, state: 'running' });
    await showProgress(deps, current);
    return current;
  } catch (error) {
    if (error instanceof ScanChangedError) throw error;
    return failScan(deps, scan, `The scan could not be started: ${errorText(error)}`);
  }
}

/** Records each tool's progress and shows it, if it changed. Returns the scan as stored. */
export async function recordProgress(deps: ScanDeps, scan: Scan, tools: Scan['toolStates']): Promise<Scan> {
  if (JSON.stringify(tools) === JSON.stringify(scan.toolStates)) return scan;
  const next = await updateScan(deps, scan, { toolStates: { ...scan.toolStates, ...tools } });
  await showProgress(deps, next);
  return next;
}

/**
 * Where each tool's results are, from the execution output. A tool whose folder is missing or empty
 * produced nothing: it is reported as failed, and the other tools' results are still read.
 */
async function sourcesFromOutput(deps: ScanDeps, scan: Scan, output: ScanOutput): Promise<{ sources: ResultSource[]; skipped: string[]; missing: Tool[] }> {
  const sources: ResultSource[] = [];
  const skipped: string[] = [];
  const missing: Tool[] = [];
  for (const tool of scan.tools) {
    const result = output.tools?.[tool];
    if (result && result.status !== 'succeeded') continue;
    const location = result?.location ?? joinLocation(output.location, tool);
    try {
      const found = await detectFolder(deps.results.folder(location), (name) => deps.results.folder(joinLocation(location, name)));
      if (found.sources.length === 0) missing.push(tool);
      sources.push(...found.sources);
      skipped.push(...found.skipped);
    } catch (error) {
      deps.logger.error('could not list a tool’s results', { scanId: scan.id, tool, location, error: errorText(error) });
      missing.push(tool);
    }
  }
  return { sources, skipped, missing };
}

/** Reads the results, stores the findings, and replaces the progress message with the summary. */
async function ingestAndSummarize(deps: ScanDeps, scan: Scan, sources: readonly ResultSource[], unknownFiles: string[], otherProblems: ParseIssue[] = []): Promise<Scan> {
  const report = await ingestResults({ scans: deps.scans, catalog: deps.catalog, classifier: deps.classifier }, scan.id, sources, { account: scan.accountId });
  for (const problem of otherProblems) report.issues.add(problem);
  for (const name of unknownFiles) report.issues.add({ file: name, message: 'not a Prowler, Custodian or CloudSploit output; skipped.' });
  const counted = await summarizeScan({ scans: deps.scans, catalog: deps.catalog }, scan, report.tools, problemsOf(report));
  const summary: ScanSummary = report.ai && deps.classifier ? { ...counted, ai: { ...report.ai, modelId: deps.classifier.modelId } } : counted;
  const toolStates = { ...scan.toolStates };
  for (const tool of report.tools) if (toolStates[tool] !== 'failed') toolStates[tool] = 'succeeded';
  const done = await updateScan(deps, scan, { state: 'succeeded', summary, toolStates, finishedAt: deps.clock.now().toISOString() });
  if (report.unknownIds.size > 0) deps.logger.info('findings cite best practices the catalog does not know', { scanId: scan.id, ids: [...report.unknownIds.keys()].slice(0, 20) });
  if (done.message) {
    const message = scanSummaryMessage(done, summary, { catalog: deps.catalog, requestedByName: requesterName(deps, done), classifierConfigured: deps.classifier !== undefined });
    await deps.chat.update(done.message, message).catch((error: unknown) => deps.logger.error('could not show a scan summary', { scanId: scan.id, error: errorText(error) }));
  }
  await prune(deps);
  return done;
}

async function prune(deps: ScanDeps): Promise<void> {
  const before = new Date(deps.clock.now().getTime() - deps.config.retentionDays * 86_400_000).toISOString();
  try {
    const removed = await deps.scans.pruneFinished(before);
    if (removed > 0) deps.logger.info('pruned old scans', { removed });
  } catch (error) {
    deps.logger.error('could not prune old scans', { error: errorText(error) });
  }
}

/**
 * The execution succeeded: take the scan from running to ingesting (a compare-and-set, so of two
 * replicas watching it only one goes on), then read and summarize the results.
 */
export async function completeScan(deps: ScanDeps, scan: Scan, output: ScanOutput, tools: Scan['toolStates']): Promise<Scan | undefined> {
  let current: Scan;
  try {
    current = await updateScan(deps, scan, { state: 'ingesting', toolStates: { ...scan.toolStates, ...tools }, resultsLocation: output.location });
  } catch (error) {
    if (error instanceof ScanChangedError) return undefined;
    throw error;
  }
  await showProgress(deps, current);
  try {
    const { sources, skipped, missing } = await sourcesFromOutput(deps, current, output);
    const toolStates = { ...current.toolStates };
    for (const tool of missing) toolStates[tool] = 'failed';
    if (sources.length === 0) return await failScan(deps, current, `The scan finished, but no results were found at ${output.location}.`, toolStates);
    if (missing.length > 0) current = await updateScan(deps, current, { toolStates });
    const noResults = missing.map((tool) => ({ file: tool, message: `no results under ${output.location}` }));
    return await ingestAndSummarize(deps, current, sources, skipped, noResults);
  } catch (error) {
    deps.logger.error('could not read scan results', { scanId: scan.id, error: errorText(error) });
    return failScan(deps, current, `The results at ${output.location} could not be read: ${errorText(error)}`);
  }
}

/** A path below the import folder, symlinks resolved, or a UserFacingError. */
async function importPath(config: ScanConfig, path: string): Promise<string> {
  if (!config.importDir) {
    throw new UserFacingError('Importing files is not enabled here (WARDEN_SCAN_IMPORT_DIR is not set).');
  }
  const root = await realpath(config.importDir);
  let full: string;
  try {
    full = await realpath(resolve(root, path));
  } catch {
    throw new UserFacingError(`There is no \`${path}\` in the import folder.`);
  }
  const rel = relative(root, full);
  if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    throw new UserFacingError(`\`${path}\` is outside the import folder; only files below it can be imported.`);
  }
  return full;
}

async function importSources(path: string): Promise<{ sources: ResultSource[]; skipped: string[] }> {
  const info = await stat(path);
  if (info.isDirectory()) return detectFolder(localFolder(path), (name) => localFolder(`${path}/${name}`));
  const file = localFile(path, baseName(path));
  const format = await detectFileFormat(file);
  if (format === 'custodian') return detectFolder(localFolder(resolve(path, '..', '..')), (name) => localFolder(resolve(path, '..', '..', name)));
  return format ? { sources: [{ format, file }], skipped: [] } : { sources: [], skipped: [baseName(path)] };
}

/**
 * `/scan import [account] <path>`: for teams that run the tools themselves. The output is read,
 * summarized and compared with the account's last scan like a Step Functions run.
 */
export async function importScan(deps: ScanDeps, request: { userId: string; channel: string; command: Extract<ScanCommand, { kind: 'import' }> }): Promise<StartOutcome> {
  const account = resolveAccount(deps, request.command.account);
  requireScanner(deps, request.userId, account);
  const path = await importPath(deps.config, request.command.path);
  const { sources, skipped } = await importSources(path);
  if (sources.length === 0) throw new UserFacingError(`I found no Prowler, Custodian or CloudSploit output in \`${request.command.path}\`.`);
  return ingestImport(deps, { ...request, account, label: request.command.path }, sources, skipped);
}

/**
 * `scan import [account]` with a file attached in chat: the file (streamed from the platform) is
 * detected by its name and first bytes and then read exactly like an imported local file.
 */
export async function importScanFile(deps: ScanDeps, request: { userId: string; channel: string; account?: string | undefined; file: ResultFile }): Promise<StartOutcome> {
  const account = resolveAccount(deps, request.account);
  requireScanner(deps, request.userId, account);
  const format = await detectFileFormat(request.file);
  if (format === 'custodian') {
    throw new UserFacingError(`\`${request.file.name}\` is one Cloud Custodian policy's output; Custodian results are a folder. Put the folder in the import folder and run \`/scan import ${account.name} <folder>\`.`);
  }
  if (!format) {
    throw new UserFacingError(`\`${request.file.name}\` is not a Prowler (OCSF or ASFF JSON, CSV) or CloudSploit (JSON, CSV) output file I recognise.`);
  }
  return ingestImport(deps, { ...request, account, label: request.file.name }, [{ format, file: request.file }], []);
}

/** Records the imported scan, posts its message, reads the sources and shows the summary. */
async function ingestImport(
  deps: ScanDeps,
  request: { userId: string; channel: string; account: Account; label: string },
  sources: ResultSource[],
  skipped: string[],
): Promise<StartOutcome> {
  const { account } = request;
  const scan = newScan(deps, {
    accountId: account.id,
    accountName: account.name,
    source: 'import',
    state: 'ingesting',
    tools: [...new Set(sources.map((s) => FORMAT_TOOL[s.format]))],
    regions: [],
    requestedBy: request.userId,
    channel: request.channel,
  });
  const created = await deps.scans.createScan(scan);
  if (!created.created) return busy(deps, created.active);
  let current = scan;
  try {
    const message = await deps.chat.post(request.channel, scanProgressCard(current, requesterName(deps, current)));
    current = await updateScan(deps, current, { message, resultsLocation: request.label });
    return { kind: 'started', scan: await ingestAndSummarize(deps, current, sources, skipped) };
  } catch (error) {
    deps.logger.error('could not import scan results', { scanId: current.id, error: errorText(error) });
    await failScan(deps, current, `The import failed: ${errorText(error)}`);
    throw new UserFacingError(`The import of \`${request.label}\` failed (scan ${current.id}).`);
  }
}

/** `/scan status`: the running scans, each with who started it and a link to its message where the platform gives one. */
export async function runningScans(deps: ScanDeps): Promise<Array<{ scan: Scan; link: string | undefined; requestedByName: string }>> {
  const active = await deps.scans.activeScans();
  return Promise.all(
    active.map(async (scan) => ({
      scan,
      link: scan.message ? await deps.chat.permalink(scan.message).catch(() => undefined) : undefined,
      requestedByName: deps.directory.displayName(scan.requestedBy),
    })),
  );
}
