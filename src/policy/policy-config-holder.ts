import { stringify } from 'yaml';
import { parseAccessRules } from '../config/load-policy-files.js';
import type { AccessRules, Org } from '../config/schemas.js';
import type { PolicyKind, PolicyVersion, PolicyVersionStore } from '../store/store.js';
import { parseGuardrails, type Guardrails } from './guardrails/index.js';

/** The policy files an admin can replace from chat, as the running Warden uses them. */
export interface ActivePolicyConfig {
  guardrails: Guardrails;
  rules: AccessRules;
}

/** One kind as it is in force: its text, and where it came from (version 0 = the file at start-up). */
export interface ActiveVersion {
  version: number;
  text: string;
  savedBy?: string;
  savedAt?: string;
  restores?: number;
}

interface Held<T> {
  value: T;
  active: ActiveVersion;
}

export interface PolicyConfigHolderOptions {
  org: Org;
  store: PolicyVersionStore;
  /** What Warden started with: the parsed files and their text (version 0). */
  base: { guardrails: { value: Guardrails; text: string }; rules: { value: AccessRules; text: string } };
  /** How long a replica serves a version before it looks for a newer one. Default 10 s. */
  refreshMs?: number;
  /** A stored version this replica cannot use (it keeps the one it has), or a failed read. */
  onError?: (error: unknown) => void;
}

const DEFAULT_REFRESH_MS = 10_000;

/** The file names used in messages about stored versions, so an admin sees the same names as at start-up. */
export const POLICY_FILE_NAMES: Record<PolicyKind, string> = { guardrails: 'guardrails.yaml', 'access-rules': 'access-rules.yaml' };

/**
 * Holds the guardrails and access rules in force. The gate and the workflows read `current()` on every
 * request, so a version an admin applies is used at once; the store is the source of truth, so every
 * replica converges on it (each looks again at most every `refreshMs`, without blocking a request).
 */
export class PolicyConfigHolder {
  private guardrails: Held<Guardrails>;
  private rules: Held<AccessRules>;
  private checkedAt = 0;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly options: PolicyConfigHolderOptions) {
    this.guardrails = { value: options.base.guardrails.value, active: { version: 0, text: options.base.guardrails.text } };
    this.rules = { value: options.base.rules.value, active: { version: 0, text: options.base.rules.text } };
  }

  /** Built-in defaults have no file: their YAML is what an admin starts editing from. */
  static guardrailsText(value: Guardrails, fileText: string | undefined): string {
    return fileText ?? stringify(value);
  }

  get org(): Org {
    return this.options.org;
  }

  current(): ActivePolicyConfig {
    // Wall-clock time only paces the cache; it is never a domain time.
    if (Date.now() - this.checkedAt > (this.options.refreshMs ?? DEFAULT_REFRESH_MS)) void this.refresh().catch(() => undefined);
    return { guardrails: this.guardrails.value, rules: this.rules.value };
  }

  active(kind: PolicyKind): ActiveVersion {
    return kind === 'guardrails' ? this.guardrails.active : this.rules.active;
  }

  /** Reads the latest stored versions and swaps in any this replica does not have yet. */
  async refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        this.checkedAt = Date.now();
        for (const kind of ['guardrails', 'access-rules'] as const) {
          const latest = await this.options.store.getLatestPolicyVersion(kind);
          if (latest && latest.version !== this.active(kind).version) this.use(latest);
        }
      } catch (error) {
        this.options.onError?.(error);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /** Validates text of a kind against the org; throws ConfigError naming the field and line. */
  validate(kind: PolicyKind, text: string): void {
    this.parse(kind, text);
  }

  /**
   * Validates and stores `text` as the next version, then uses it here at once. Returns undefined when
   * another admin saved a version since this replica last looked (the caller asks to start again).
   */
  async apply(kind: PolicyKind, text: string, savedBy: string, savedAt: string, restores?: number): Promise<PolicyVersion | undefined> {
    this.parse(kind, text);
    await this.refresh();
    const next: PolicyVersion = { kind, version: this.active(kind).version + 1, text, savedBy, savedAt, ...(restores !== undefined ? { restores } : {}) };
    if (!(await this.options.store.savePolicyVersion(next))) {
      await this.refresh();
      return undefined;
    }
    this.use(next);
    return next;
  }

  /** The text of the version before the one in force (the start-up file when only one was applied). */
  async previous(kind: PolicyKind): Promise<ActiveVersion | undefined> {
    await this.refresh();
    if (this.active(kind).version === 0) return undefined;
    const previous = await this.options.store.getPreviousPolicyVersion(kind);
    if (previous) return previous;
    const base = kind === 'guardrails' ? this.options.base.guardrails.text : this.options.base.rules.text;
    return { version: 0, text: base };
  }

  private use(v: PolicyVersion): void {
    try {
      const active: ActiveVersion = { version: v.version, text: v.text, savedBy: v.savedBy, savedAt: v.savedAt, ...(v.restores !== undefined ? { restores: v.restores } : {}) };
      if (v.kind === 'guardrails') this.guardrails = { value: parseGuardrails(v.text, POLICY_FILE_NAMES.guardrails, this.options.org), active };
      else this.rules = { value: parseAccessRules(v.text, POLICY_FILE_NAMES['access-rules'], this.options.org), active };
    } catch (error) {
      // A version valid when saved can fail here if the org file changed since: keep serving the last good one.
      this.options.onError?.(error);
    }
  }

  private parse(kind: PolicyKind, text: string): void {
    if (kind === 'guardrails') parseGuardrails(text, POLICY_FILE_NAMES.guardrails, this.options.org);
    else parseAccessRules(text, POLICY_FILE_NAMES['access-rules'], this.options.org);
  }
}
