// The flags for members and Space settings that `create`, `update` and `render` share.
import type { SpaceSpec, SpaceSpecInput, Subject } from '../model/index.ts';
import { NETWORK_PRESETS, POD_SECURITY_LEVELS, SANDBOX_MODES } from '../model/choices.ts';
import type { Flags } from './define.ts';
import { choice } from './define.ts';
import { UsageError } from './errors.ts';
import { resourcesFromFlags } from './resources.ts';

export const SPACE_SETTINGS_FLAGS = {
  sandbox: { type: 'string', value: SANDBOX_MODES.join('|') },
  'pod-security': { type: 'string', value: POD_SECURITY_LEVELS.join('|') },
  network: { type: 'string', value: NETWORK_PRESETS.join('|') },
  'allow-from': { type: 'string', multiple: true, value: 'TENANT/SPACE' },
} as const satisfies Flags;

export const MEMBER_FLAGS = {
  admin: { type: 'string', multiple: true, value: 'USER' },
  viewer: { type: 'string', multiple: true, value: 'USER' },
} as const satisfies Flags;

export const SPACE_MEMBER_FLAGS = {
  admin: MEMBER_FLAGS.admin,
  developer: { type: 'string', multiple: true, value: 'USER' },
  viewer: MEMBER_FLAGS.viewer,
} as const satisfies Flags;

/** The space settings `update space` can change besides its resources, typed by the Space's schema. */
export type SpaceChanges = Partial<Pick<SpaceSpec, 'sandbox' | 'podSecurity'>> & { network?: Partial<SpaceSpec['network']> };

export interface SpaceSettingsValues {
  sandbox?: string | undefined;
  'pod-security'?: string | undefined;
  network?: string | undefined;
  'allow-from'?: string[] | undefined;
}

export interface MemberValues {
  admin?: string[] | undefined;
  developer?: string[] | undefined;
  viewer?: string[] | undefined;
}

export function spaceSettings(v: SpaceSettingsValues): SpaceChanges {
  const network = {
    ...(v.network !== undefined && { preset: choice('--network', v.network, NETWORK_PRESETS) }),
    ...(v['allow-from'] !== undefined && { allowFrom: v['allow-from'] }),
  };
  return {
    ...(v.sandbox !== undefined && { sandbox: choice('--sandbox', v.sandbox, SANDBOX_MODES) }),
    ...(v['pod-security'] !== undefined && { podSecurity: choice('--pod-security', v['pod-security'], POD_SECURITY_LEVELS) }),
    ...(Object.keys(network).length > 0 && { network }),
  };
}

export function spaceSpecFromFlags(
  v: SpaceSettingsValues & MemberValues & { cpu?: string | undefined; memory?: string | undefined; resource?: string[] | undefined },
): SpaceSpecInput {
  return {
    resources: resourcesFromFlags(v),
    ...spaceSettings(v),
    members: [...members(v.admin, 'admin'), ...members(v.developer, 'developer'), ...members(v.viewer, 'viewer')],
  };
}

/**
 * Parses a member flag's value: a user name, `group:NAME`, `sa:NAMESPACE/NAME`
 * (a ServiceAccount), or `user:NAME` for a user whose name itself starts with
 * one of those prefixes.
 */
export function parseMember<R extends string>(text: string, role: R): Subject & { role: R } {
  const prefixed = /^(user|group|sa|serviceaccount):(.*)$/.exec(text);
  const [, prefix, rest = ''] = prefixed ?? [undefined, undefined, text];
  const name = prefixed ? rest : text;
  if (name === '') throw new UsageError(`--${role} needs a name: a user, group:NAME or sa:NAMESPACE/NAME, not "${text}"`);
  if (prefix === 'group') return { kind: 'Group', name, role };
  if (prefix === 'sa' || prefix === 'serviceaccount') {
    const [namespace, account, extra] = name.split('/');
    if (!namespace || !account || extra !== undefined) {
      throw new UsageError(`--${role} ${text}: a ServiceAccount is sa:NAMESPACE/NAME, such as sa:ci/deployer`);
    }
    return { kind: 'ServiceAccount', name: account, namespace, role };
  }
  return { kind: 'User', name, role };
}

export function members<R extends string>(values: readonly string[] | undefined, role: R) {
  return (values ?? []).map((v) => parseMember(v, role));
}
