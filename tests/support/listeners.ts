/**
 * The sockets a process listens on, read from /proc (Linux): TCP sockets in LISTEN state and bound UDP
 * sockets, with their local address. Used to prove that every engine binds loopback only.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface Listener {
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6';
  address: string;
  port: number;
}

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match) inodes.add(match[1]!);
    } catch {
      /* fd closed meanwhile */
    }
  }
  return inodes;
}

/** /proc/net/tcp stores IPv4 addresses as little-endian hex, IPv6 as four little-endian 32-bit words. */
function decodeAddress(hex: string): string {
  if (hex.length === 8) return [0, 1, 2, 3].map((i) => parseInt(hex.slice(6 - i * 2, 8 - i * 2), 16)).join('.');
  const words = [0, 1, 2, 3].map((w) => hex.slice(w * 8, w * 8 + 8).match(/../g)!.reverse().join(''));
  const groups = words.join('').match(/.{4}/g)!.map((g) => parseInt(g, 16).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

export function listenersOf(pid: number): Listener[] {
  const inodes = socketInodes(pid);
  const found: Listener[] = [];
  for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
    const lines = readFileSync(`/proc/${pid}/net/${protocol}`, 'utf8').trim().split('\n').slice(1);
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const [local, , state] = [fields[1]!, fields[2]!, fields[3]!];
      const inode = fields[9]!;
      const listening = protocol.startsWith('tcp') ? state === '0A' : state === '07';
      if (!listening || !inodes.has(inode)) continue;
      const [addressHex, portHex] = local.split(':') as [string, string];
      found.push({ protocol, address: decodeAddress(addressHex), port: parseInt(portHex, 16) });
    }
  }
  return found;
}
