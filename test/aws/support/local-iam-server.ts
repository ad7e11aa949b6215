import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local STS + IAM speaking the real wire protocol (AWS Query: form-encoded POST, XML answers),
 * for the tests where aws-sdk-client-mock is not faithful enough: serialization of nested inputs
 * (Tags.member.N.Key), error codes as IAM sends them, SigV4 credentials, and the SDK's endpoint
 * settings (AWS_ENDPOINT_URL_IAM / _STS) actually being honoured. Only what Warden calls.
 */

export interface WireRequest {
  service: string;
  action: string;
  params: Record<string, string>;
  /** The access key id the request was signed with. */
  accessKeyId: string;
  status: number;
}

interface StoredRole {
  name: string;
  path: string;
  trust: string;
  maxSession: number;
  description: string;
  boundary: string | null;
  tags: Map<string, string>;
  policies: Map<string, string>;
  created: string;
}

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

class WireError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class LocalIamServer {
  readonly requests: WireRequest[] = [];
  /** Roles by account, then name. */
  readonly accounts = new Map<string, Map<string, StoredRole>>();
  private faults: { action: string; code: string; status: number; times: number }[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<LocalIamServer> {
    let self: LocalIamServer | undefined;
    const server = createServer((req, res) => {
      void self!.handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': 'local-1' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new LocalIamServer(server, `http://127.0.0.1:${port}`);
    return self;
  }

  fail(action: string, code: string, status: number, times = 1): void {
    this.faults.push({ action, code, status, times });
  }

  roles(accountId: string): Map<string, StoredRole> {
    let roles = this.accounts.get(accountId);
    if (!roles) this.accounts.set(accountId, (roles = new Map()));
    return roles;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: string }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    const credential = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(req.headers['authorization'] ?? ''));
    const accessKeyId = credential?.[1] ?? '';
    const service = credential?.[2] ?? '';
    const action = params['Action'] ?? '';
    const record = (status: number) => this.requests.push({ service, action, params, accessKeyId, status });
    try {
      const fault = this.faults.find((f) => f.action === action && f.times > 0);
      if (fault) {
        fault.times--;
        throw new WireError(fault.status, fault.code, `${fault.code} injected`);
      }
      const result = service === 'sts' ? this.sts(action, params) : this.iam(action, params, accessKeyId);
      record(200);
      const ns = service === 'sts' ? STS_NS : IAM_NS;
      return { status: 200, body: `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>local-1</RequestId></ResponseMetadata></${action}Response>` };
    } catch (error) {
      const e = error instanceof WireError ? error : new WireError(500, 'ServiceFailure', String(error));
      record(e.status);
      return { status: e.status, body: `<ErrorResponse xmlns="${IAM_NS}"><Error><Type>Sender</Type><Code>${e.code}</Code><Message>${xml(e.message)}</Message></Error><RequestId>local-1</RequestId></ErrorResponse>` };
    }
  }

  private sts(action: string, p: Record<string, string>): string {
    if (action !== 'AssumeRole') throw new WireError(400, 'InvalidAction', action);
    const account = /^arn:[^:]+:iam::(\d{12}):role\//.exec(p['RoleArn'] ?? '')?.[1];
    if (!account) throw new WireError(400, 'ValidationError', 'bad RoleArn');
    return (
      `<Credentials><AccessKeyId>ASIA${account}</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken>` +
      `<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/x/${xml(p['RoleSessionName'] ?? '')}</Arn><AssumedRoleId>AROA:x</AssumedRoleId></AssumedRoleUser>`
    );
  }

  private iam(action: string, p: Record<string, string>, accessKeyId: string): string {
    const account = /^ASIA(\d{12})$/.exec(accessKeyId)?.[1];
    if (!account) throw new WireError(403, 'InvalidClientTokenId', 'IAM must be called with assumed-role credentials');
    const roles = this.roles(account);
    const name = p['RoleName'] ?? '';
    const role = () => {
      const found = roles.get(name);
      if (!found) throw new WireError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);
      return found;
    };
    switch (action) {
      case 'CreateRole': {
        if (roles.has(name)) throw new WireError(409, 'EntityAlreadyExists', `Role with name ${name} already exists.`);
        const created: StoredRole = {
          name,
          path: p['Path'] ?? '/',
          trust: p['AssumeRolePolicyDocument'] ?? '',
          maxSession: Number(p['MaxSessionDuration'] ?? 3600),
          description: p['Description'] ?? '',
          boundary: p['PermissionsBoundary'] ?? null,
          tags: new Map(memberPairs(p, 'Tags')),
          policies: new Map(),
          created: '2026-11-23T10:00:00Z',
        };
        roles.set(name, created);
        return roleXml(account, created, true);
      }
      case 'GetRole':
        return roleXml(account, role(), true);
      case 'PutRolePolicy':
        role().policies.set(p['PolicyName'] ?? '', p['PolicyDocument'] ?? '');
        return '';
      case 'DeleteRolePolicy':
        if (!role().policies.delete(p['PolicyName'] ?? '')) throw new WireError(404, 'NoSuchEntity', 'The role policy cannot be found.');
        return '';
      case 'DeleteRole':
        if (role().policies.size > 0) throw new WireError(409, 'DeleteConflict', 'Cannot delete entity, must delete policies first.');
        roles.delete(name);
        return '';
      case 'UpdateAssumeRolePolicy':
        role().trust = p['PolicyDocument'] ?? '';
        return '';
      case 'UpdateRole': {
        const r = role();
        if (p['MaxSessionDuration']) r.maxSession = Number(p['MaxSessionDuration']);
        if (p['Description'] !== undefined) r.description = p['Description'];
        return '';
      }
      case 'TagRole':
        for (const [k, v] of memberPairs(p, 'Tags')) role().tags.set(k, v);
        return '';
      case 'ListRoles': {
        const prefix = p['PathPrefix'] ?? '/';
        const listed = [...roles.values()].filter((r) => r.path.startsWith(prefix)).map((r) => `<member>${roleXml(account, r, false)}</member>`);
        return `<Roles>${listed.join('')}</Roles><IsTruncated>false</IsTruncated>`;
      }
      case 'ListRoleTags':
        return `<Tags>${[...role().tags].map(([k, v]) => `<member><Key>${xml(k)}</Key><Value>${xml(v)}</Value></member>`).join('')}</Tags><IsTruncated>false</IsTruncated>`;
      default:
        throw new WireError(400, 'InvalidAction', action);
    }
  }
}

/** `Tags.member.1.Key=a&Tags.member.1.Value=b` → [['a', 'b']]: how the Query protocol sends lists. */
function memberPairs(p: Record<string, string>, list: string): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 1; p[`${list}.member.${i}.Key`] !== undefined; i++) out.push([p[`${list}.member.${i}.Key`]!, p[`${list}.member.${i}.Value`] ?? '']);
  return out;
}

function roleXml(account: string, r: StoredRole, full: boolean): string {
  const inner =
    `<Path>${xml(r.path)}</Path><RoleName>${xml(r.name)}</RoleName><RoleId>AROA${xml(r.name.toUpperCase())}</RoleId>` +
    `<Arn>arn:aws:iam::${account}:role${xml(r.path)}${xml(r.name)}</Arn><CreateDate>${r.created}</CreateDate>` +
    `<AssumeRolePolicyDocument>${xml(encodeURIComponent(r.trust))}</AssumeRolePolicyDocument><MaxSessionDuration>${r.maxSession}</MaxSessionDuration>` +
    (full && r.boundary ? `<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>${xml(r.boundary)}</PermissionsBoundaryArn></PermissionsBoundary>` : '') +
    (full ? `<Tags>${[...r.tags].map(([k, v]) => `<member><Key>${xml(k)}</Key><Value>${xml(v)}</Value></member>`).join('')}</Tags>` : '');
  return full ? `<Role>${inner}</Role>` : inner;
}
