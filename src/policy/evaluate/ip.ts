/**
 * IpAddress / NotIpAddress: an address against a CIDR block (RFC 4632) or a single address, IPv4 or
 * IPv6. An address of the other family is outside the block.
 */

interface ParsedIp {
  v6: boolean;
  value: bigint;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) + BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (const [i, piece] of pieces.entries()) {
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return all.reduce((acc, g) => (acc << 16n) + BigInt(g), 0n);
}

export function parseIp(text: string): ParsedIp | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { v6: false, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === undefined ? undefined : { v6: true, value: v6 };
}

export interface Cidr {
  v6: boolean;
  network: bigint;
  bits: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefix, ...rest] = text.split('/');
  if (rest.length > 0) return undefined;
  const ip = parseIp(address);
  if (!ip) return undefined;
  const width = ip.v6 ? 128 : 32;
  const bits = prefix === undefined ? width : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return undefined;
  const shift = BigInt(width - bits);
  return { v6: ip.v6, network: (ip.value >> shift) << shift, bits };
}

/** True inside the block, false outside (other family included), undefined when either side is invalid. */
export function ipInCidr(ipText: string, cidrText: string): boolean | undefined {
  const ip = parseIp(ipText);
  const cidr = parseCidr(cidrText);
  if (!ip || !cidr) return undefined;
  if (ip.v6 !== cidr.v6) return false;
  const shift = BigInt((cidr.v6 ? 128 : 32) - cidr.bits);
  return (ip.value >> shift) << shift === cidr.network;
}

/** An address inside the block, for trying a context value out. */
export function addressIn(cidrText: string): string | undefined {
  const cidr = parseCidr(cidrText);
  if (!cidr) return undefined;
  if (!cidr.v6) {
    const v = cidr.network;
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  }
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((cidr.network >> s) & 0xffffn).toString(16));
  return groups.join(':');
}
