import { z } from 'zod';
import { UserFacingError } from '../../../access/errors.js';
import type { ResultFile } from '../../../scans/results/files.js';
import { importScanFile } from '../../../scans/workflow.js';
import type { Card } from '../../cards/model.js';
import { notice } from '../../cards/request-cards.js';
import { scanBusyCard } from '../../cards/scan-status.js';
import { downloadFile, readText } from '../../files/download.js';
import { FILE_COMMANDS_HELP, parseFileCommand, POLICY_FILE_MAX_BYTES, SCAN_FILE_MAX_BYTES } from '../../files/file-command.js';
import { applyUploadedPolicy } from '../../policy-admin.js';
import { renderAdaptiveCard } from '../adaptive.js';
import { explainError, resolveUser, type TeamsHandlerContext, type TeamsSender } from '../context.js';

/** The attachment Teams puts on a message in the personal chat for each file sent with it. */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** A file sent to the bot: its name and the pre-authenticated link Teams gives for its content. */
export interface TeamsFile {
  name: string;
  downloadUrl: string;
  /** The Bot Connector the activity came from (the fake serves files there too). */
  serviceUrl?: string;
}

// Teams hands bots files stored in OneDrive/SharePoint (commercial and sovereign clouds).
const FILE_HOST_SUFFIXES = ['.sharepoint.com', '.sharepoint.us', '.sharepoint-mil.us', '.sharepoint.de', '.sharepoint.cn'];

/**
 * Only links to Microsoft 365 storage (or to the connector the activity came from) are fetched:
 * the link is text in the activity, and fetching any URL would let a crafted message make Warden
 * reach internal addresses such as the instance metadata service.
 */
export function isTeamsFileUrl(downloadUrl: string, serviceUrl: string | undefined): boolean {
  try {
    const target = new URL(downloadUrl);
    if (serviceUrl !== undefined && target.origin === new URL(serviceUrl).origin) return true;
    return target.protocol === 'https:' && FILE_HOST_SUFFIXES.some((suffix) => target.hostname.endsWith(suffix));
  } catch {
    return false;
  }
}

const FileAttachmentSchema = z.object({
  contentType: z.literal(FILE_DOWNLOAD_INFO),
  name: z.string().min(1),
  content: z.object({ downloadUrl: z.url({ protocol: /^https?$/ }) }),
});

/** The files an activity carries; other attachments (cards, inline images) are not files. */
export function filesOf(activity: { attachments?: unknown; serviceUrl?: string }): TeamsFile[] {
  const attachments = Array.isArray(activity.attachments) ? (activity.attachments as unknown[]) : [];
  const serviceUrl = typeof activity.serviceUrl === 'string' ? activity.serviceUrl : undefined;
  return attachments.flatMap((a) => {
    const parsed = FileAttachmentSchema.safeParse(a);
    return parsed.success ? [{ name: parsed.data.name, downloadUrl: parsed.data.content.downloadUrl, ...(serviceUrl !== undefined && { serviceUrl }) }] : [];
  });
}

/** The link is pre-authenticated: no bot credential is sent with it, so none can leak to it. */
async function download(file: TeamsFile, maxBytes: number): Promise<AsyncIterable<Buffer>> {
  if (!isTeamsFileUrl(file.downloadUrl, file.serviceUrl)) {
    throw new UserFacingError(`\`${file.name}\` does not link to OneDrive or SharePoint, so I won't fetch it. Attach the file from your computer or OneDrive.`);
  }
  return downloadFile({ url: file.downloadUrl, name: file.name, headers: {}, maxBytes });
}

function onlyFile(files: TeamsFile[]): TeamsFile {
  const [first, ...others] = files;
  if (!first) throw new UserFacingError('I see no file with that message. Attach the file to the message itself.');
  if (others.length > 0) throw new UserFacingError(`You sent ${files.length} files; send one file per message so it is clear which one to use.`);
  return first;
}

/**
 * A message with files: `guardrails set` / `rules set` (admins: the file becomes the new version,
 * checked, stored and audited as on Slack) or `scan import [account]` (ingested like `scan import
 * <path>`; the summary goes to this chat). Teams delivers files to bots in the personal chat only.
 */
export async function onFileMessage(
  ctx: TeamsHandlerContext,
  message: { sender: TeamsSender; conversationId: string; personal: boolean; words: string; files: TeamsFile[] },
): Promise<void> {
  const reply = (card: Card) => ctx.notifier.sendPrivately(message.personal ? undefined : message.sender.aadObjectId, message.conversationId, renderAdaptiveCard(card), card.fallback);
  try {
    if (!message.personal) throw new UserFacingError('Send files to Warden in your personal chat with it.');
    const command = parseFileCommand(message.words);
    if (!command) {
      await reply(notice(`I can't tell what to do with that file. ${FILE_COMMANDS_HELP}`));
      return;
    }
    const user = resolveUser(ctx, message.sender);
    const file = onlyFile(message.files);
    if (command.kind === 'policy-set') {
      const { policyConfig } = ctx;
      if (!policyConfig) throw new UserFacingError('Changing the guardrails or access rules from chat is not set up in this Warden.');
      const done = await applyUploadedPolicy({ deps: ctx.deps, logger: ctx.logger, policyConfig }, user, command.policy, async () => readText(await download(file, POLICY_FILE_MAX_BYTES)));
      await reply(notice(`✅ ${done}`));
      return;
    }
    const { scans } = ctx;
    if (!scans) throw new UserFacingError('Scans are not set up in this Warden (they need the SQLite or DynamoDB store).');
    const result: ResultFile = { name: file.name, open: () => download(file, SCAN_FILE_MAX_BYTES) };
    const outcome = await importScanFile(scans.deps, { userId: user.id, channel: message.conversationId, account: command.account, file: result });
    if (outcome.kind === 'busy') {
      await reply(scanBusyCard(outcome.active, outcome.link, scans.deps.directory.displayName(outcome.active.requestedBy)));
      await scans.tracker.adopt(outcome.active);
    }
  } catch (error) {
    await reply(notice(`⚠️ ${explainError(ctx, error)}`));
  }
}
