import { randomUUID } from 'node:crypto';

/**
 * Files people send the bot in a personal chat. Teams stores them in the sender's OneDrive and hands
 * the bot a pre-authenticated `downloadUrl` (no bot token is involved); the fake serves each file
 * under `/files/<uniqueId>/<name>` on its own server.
 */
export interface FakeTeamsFile {
  uniqueId: string;
  name: string;
  content: Buffer;
}

export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

export class FakeTeamsFiles {
  private readonly byId = new Map<string, FakeTeamsFile>();

  put(name: string, content: string | Buffer): FakeTeamsFile {
    const file = { uniqueId: randomUUID().toUpperCase(), name, content: typeof content === 'string' ? Buffer.from(content, 'utf8') : content };
    this.byId.set(file.uniqueId, file);
    return file;
  }

  get(uniqueId: string): FakeTeamsFile | undefined {
    return this.byId.get(uniqueId);
  }

  /** Removes a file, as its owner deleting it from OneDrive would: the link then answers 404. */
  delete(uniqueId: string): void {
    this.byId.delete(uniqueId);
  }
}

export function downloadPathOf(file: Pick<FakeTeamsFile, 'uniqueId' | 'name'>): string {
  return `/files/${file.uniqueId}/${encodeURIComponent(file.name)}`;
}

export function fileIdOfPath(path: string): string | undefined {
  return /^\/files\/([0-9A-F-]{36})\/[^/]+$/.exec(path)?.[1];
}

/** The attachment Teams puts on a message that carries a file. */
export function fileAttachment(file: FakeTeamsFile, baseUrl: string): Record<string, string | Record<string, string>> {
  const dot = file.name.lastIndexOf('.');
  return {
    contentType: FILE_DOWNLOAD_INFO,
    contentUrl: `https://contoso-my.sharepoint.com/personal/files/${encodeURIComponent(file.name)}`,
    name: file.name,
    content: {
      downloadUrl: `${baseUrl}${downloadPathOf(file)}`,
      uniqueId: file.uniqueId,
      fileType: dot < 0 ? '' : file.name.slice(dot + 1).toLowerCase(),
    },
  };
}
