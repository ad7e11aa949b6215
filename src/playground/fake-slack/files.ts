import { randomBytes } from 'node:crypto';
import type { JsonObject } from './json.js';

/** A file a workspace member put in the fake (what an upload in a Slack client leaves behind). */
export interface FakeFileInput {
  user: string;
  name: string;
  content: string | Buffer;
  title?: string;
  mimetype?: string;
}

export interface FakeFile {
  id: string;
  user: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  content: Buffer;
  created: number;
  /** Conversations the file was shared in, as files.info lists them. */
  channels: string[];
  deleted: boolean;
}

const newFileId = (): string => `F${randomBytes(5).toString('hex').toUpperCase()}`;

/** The path a file downloads from: Slack's `/files-pri/<team>-<file>/download/<name>` form. */
export function downloadPath(teamId: string, file: Pick<FakeFile, 'id' | 'name'>): string {
  return `/files-pri/${teamId}-${file.id}/download/${encodeURIComponent(file.name)}`;
}

/** Parses a download path back to the file id; undefined when it is not one. */
export function fileIdOfDownloadPath(path: string): string | undefined {
  return /^\/files-pri\/[A-Z0-9]+-(F[A-Z0-9]+)\/download\/[^/]+$/.exec(path)?.[1];
}

function filetypeOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? 'text' : name.slice(dot + 1).toLowerCase();
}

/** The files of the fake workspace: content, metadata, and where each was shared. */
export class FakeFiles {
  private readonly byId = new Map<string, FakeFile>();

  constructor(private readonly now: () => Date) {}

  put(input: FakeFileInput): FakeFile {
    const file: FakeFile = {
      id: newFileId(),
      user: input.user,
      name: input.name,
      title: input.title ?? input.name,
      mimetype: input.mimetype ?? 'text/plain',
      filetype: filetypeOf(input.name),
      content: typeof input.content === 'string' ? Buffer.from(input.content, 'utf8') : input.content,
      created: Math.floor(this.now().getTime() / 1000),
      channels: [],
      deleted: false,
    };
    this.byId.set(file.id, file);
    return file;
  }

  get(id: string): FakeFile | undefined {
    return this.byId.get(id);
  }

  share(id: string, channel: string): void {
    const file = this.byId.get(id);
    if (file && !file.channels.includes(channel)) file.channels.push(channel);
  }

  delete(id: string): void {
    const file = this.byId.get(id);
    if (file) file.deleted = true;
  }

  clear(): void {
    this.byId.clear();
  }
}

/** The file object as files.info and message events carry it. */
export function toSlackFile(file: FakeFile, baseUrl: string, teamId: string, teamDomain: string): JsonObject {
  const download = `${baseUrl}${downloadPath(teamId, file)}`;
  const byKind = (prefix: string) => file.channels.filter((c) => c.startsWith(prefix));
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: file.filetype.toUpperCase(),
    user: file.user,
    mode: 'hosted',
    editable: false,
    is_external: false,
    external_type: '',
    size: file.content.length,
    url_private: download.replace('/download/', '/'),
    url_private_download: download,
    permalink: `https://${teamDomain}.slack.com/files/${file.user}/${file.id}/${encodeURIComponent(file.name)}`,
    is_public: byKind('C').length > 0,
    channels: byKind('C'),
    groups: byKind('G'),
    ims: byKind('D'),
  };
}
