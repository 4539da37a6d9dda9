import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from './processes.ts';

/**
 * What a real node may leave on the host, listed the way a person would look:
 * mounts, network namespaces, links, iptables rules, ipsets and temporary
 * folders. Taken before and after a cluster runs, the difference must be empty.
 */
export interface HostState {
  mounts: string[];
  netns: string[];
  links: string[];
  iptables: string[];
  ipsets: string[];
  tmp: string[];
}

function lines(command: string, args: string[]): string[] {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  } catch {
    return [];
  }
}

export function hostState(): HostState {
  return {
    // Mount point and source, without the ids that renumber.
    mounts: readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const f = l.split(' ');
        return `${f[4]} ${f.slice(f.indexOf('-') + 1).join(' ')}`;
      }),
    netns: existsSync('/run/netns') ? readdirSync('/run/netns') : [],
    links: lines('ip', ['-o', 'link', 'show']).map((l) => l.split(': ')[1]?.split('@')[0] ?? l),
    // Rules and chains, without packet counters.
    iptables: lines('iptables-save', [])
      .filter((l) => !l.startsWith('#'))
      .map((l) => l.replace(/\[\d+:\d+\]/g, '')),
    ipsets: lines('ipset', ['list', '-n']),
    // What the node or its builds could leave in the temporary folder. A cluster's own data
    // folder is checked by name: other tests' clusters come and go meanwhile.
    tmp: readdirSync(tmpdir()).filter((n) => /^(node-init-|spacekit-gvisor-build-)/.test(n)),
  };
}

/** What `after` holds that `before` did not, per kind; empty lists when the host is as it was. */
export function addedSince(before: HostState, after: HostState): Partial<Record<keyof HostState, string[]>> {
  const added: Partial<Record<keyof HostState, string[]>> = {};
  for (const key of Object.keys(before) as (keyof HostState)[]) {
    const was = new Set(before[key]);
    const extra = after[key].filter((x) => !was.has(x));
    if (extra.length > 0) added[key] = extra;
  }
  return added;
}

/** The host-visible traces of one node: its cgroups and any process in its PID namespace or naming its folder. */
export interface NodeFootprint {
  cgroups: string[];
  processes: number[];
}

/** The PID namespace of a process, as the kernel names it (`pid:[4026532…]`). */
export function pidNamespace(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

export function nodeFootprint(node: { cgroupRoot: string }, dataDir: string, pidns?: string): NodeFootprint {
  const cgroups = readdirSync('/sys/fs/cgroup')
    .map((c) => join('/sys/fs/cgroup', c, node.cgroupRoot))
    .filter((dir) => existsSync(dir));
  const processes = readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number)
    .filter((pid) => {
      if (pid === process.pid || !isAlive(pid)) return false;
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes(dataDir) || (pidns !== undefined && pidNamespace(pid) === pidns);
      } catch {
        return false;
      }
    });
  return { cgroups, processes };
}
