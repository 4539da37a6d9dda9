import type { Rights, TreeNode } from '@spacekit/sdk';
import { rightsContext, withheldNote } from './rights.ts';
import { levelOf, type Scope, scopeKey, scopeLabel } from './scope.ts';
import { overBudget, resourceRows, usageSummary } from './usage.ts';

/**
 * What discovery found at one scope: its usage tree, when the user may read
 * it, or why not. A scope the user may not read is still shown, as such, so
 * that the way to the parts they can read stays visible.
 */
export type Reach = { kind: 'readable'; scope: Scope; node: TreeNode } | { kind: 'unreadable'; scope: Scope; reason: string };

/** The state a row's icon shows. */
export type NodeState = 'ready' | 'provisioning' | 'overBudget' | 'failed' | 'terminating' | 'unreadable';

/** A codicon id with an optional theme colour id. */
export interface Icon {
  id: string;
  color?: string;
}

/** One row of the Spaces view, free of `vscode` types so that it can be tested and compared. */
export interface ViewNode {
  /** `acme`, `acme/payments`, `acme/payments/dev`: stable across refreshes, so expansion and selection stay. */
  id: string;
  scope: Scope;
  kind: TreeNode['kind'];
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
  icon: Icon;
  state: NodeState;
  /** `spacekit.space.readable`, `spacekit.organization.unreadable`…: what the menus key on. */
  contextValue: string;
  /** What a screen reader says, and what the end-to-end test finds rows by. */
  accessibilityLabel: string;
  /** The usage behind the row; absent for a level the user may not read. */
  usage?: TreeNode;
  children: ViewNode[];
}

const LEVEL_ICONS: Record<TreeNode['kind'], string> = { Organization: 'organization', Tenant: 'account', Space: 'server-environment' };

/** The state a node's phase and usage amount to. */
export function stateOf(node: TreeNode): NodeState {
  if (node.phase === 'Terminating') return 'terminating';
  if (node.phase === 'Failed') return 'failed';
  if (node.phase !== 'Ready') return 'provisioning';
  return overBudget(node).length > 0 ? 'overBudget' : 'ready';
}

/** The icon for a state: the level's own icon in the theme's "passed" colour when all is well. */
export function iconFor(kind: TreeNode['kind'], state: NodeState): Icon {
  switch (state) {
    case 'ready':
      return { id: LEVEL_ICONS[kind], color: 'testing.iconPassed' };
    case 'provisioning':
      return { id: 'sync~spin' };
    case 'overBudget':
      return { id: 'warning', color: 'list.warningForeground' };
    case 'failed':
      return { id: 'error', color: 'list.errorForeground' };
    case 'terminating':
      return { id: 'trash', color: 'disabledForeground' };
    case 'unreadable':
      return { id: 'lock', color: 'disabledForeground' };
  }
}

const STATE_TEXT: Record<NodeState, string> = {
  ready: 'Ready',
  provisioning: 'provisioning',
  overBudget: 'over budget',
  failed: 'failed',
  terminating: 'deleting',
  unreadable: 'no access',
};

/** The row's description: usage when there is some to show, else what the row is waiting for. */
export function descriptionFor(node: TreeNode, state: NodeState): string {
  switch (state) {
    case 'provisioning':
      return 'provisioning…';
    case 'terminating':
      return 'deleting…';
    case 'failed':
      return 'failed';
    default:
      return usageSummary(node) || 'no budget';
  }
}

/** Escapes text for Markdown, where names and server messages must show as they are. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** The tooltip: what the level is, its state and namespace, and a table of every resource. */
export function tooltipFor(node: TreeNode, scope: Scope, state: NodeState, rights?: Rights): string {
  const lines = [`**${node.kind}** ${escapeMarkdown(scopeKey(scope))} — ${STATE_TEXT[state]}`, ''];
  if (node.namespace) lines.push(`Namespace \`${node.namespace}\``, '');
  if (node.message) lines.push(`$(error) ${escapeMarkdown(node.message)}`, '');
  const rows = resourceRows(node);
  if (rows.length > 0) {
    if (node.kind === 'Space') {
      lines.push('| resource | used | budget | free |', '|---|---:|---:|---:|');
      for (const r of rows) lines.push(`| ${r.label}${r.over ? ' $(warning)' : ''} | ${r.used} | ${r.budget ?? '∞'} | ${r.free ?? '∞'} |`);
    } else {
      lines.push('| resource | used | allocated | budget | free |', '|---|---:|---:|---:|---:|');
      for (const r of rows)
        lines.push(
          `| ${r.label}${r.over ? ' $(warning)' : ''} | ${r.used} | ${r.allocated ?? '0'} | ${r.budget ?? '∞'} | ${r.free ?? '∞'} |`,
        );
    }
    lines.push(
      '',
      node.kind === 'Space'
        ? "_used_: requested by running workloads · _budget_: enforced as the Space's quota"
        : '_used_: requested by workloads in the Spaces below · _allocated_: held by children · _free_: budget not allocated',
    );
  }
  const note = withheldNote(scope, rights);
  if (note) lines.push('', `$(lock) ${escapeMarkdown(note)}`);
  return lines.join('\n');
}

/** What a screen reader says for a row: kind, name and state, then the description unless it only repeats the state. */
export function accessibilityLabelFor(kind: string, name: string, stateText: string, description: string): string {
  const repeats = description.replace(/…$/, '') === stateText || description === '';
  return repeats ? `${kind} ${name}, ${stateText}` : `${kind} ${name}, ${stateText}, ${description}`;
}

function readableNode(node: TreeNode, scope: Scope, children: ViewNode[], rights: Rights | undefined): ViewNode {
  const state = stateOf(node);
  const description = descriptionFor(node, state);
  const level = levelOf(scope);
  return {
    id: scopeKey(scope),
    scope,
    kind: node.kind,
    label: node.name,
    description,
    tooltip: tooltipFor(node, scope, state, rights),
    icon: iconFor(node.kind, state),
    state,
    contextValue: `spacekit.${level}.readable.${state}${rightsContext(scope, rights)}`,
    accessibilityLabel: accessibilityLabelFor(node.kind, node.name, STATE_TEXT[state], description),
    usage: node,
    children,
  };
}

const KIND_OF_LEVEL = { organization: 'Organization', tenant: 'Tenant', space: 'Space' } as const;

function unreadableNode(scope: Scope, reason: string, children: ViewNode[]): ViewNode {
  const level = levelOf(scope);
  const kind = KIND_OF_LEVEL[level];
  const name = scope.space ?? scope.tenant ?? scope.organization;
  const tooltip = [`**${kind}** ${escapeMarkdown(scopeKey(scope))} — no access`, '', escapeMarkdown(reason)].join('\n');
  return {
    id: scopeKey(scope),
    scope,
    kind,
    label: name,
    description: children.length > 0 ? '' : 'no access',
    tooltip,
    icon: iconFor(kind, 'unreadable'),
    state: 'unreadable',
    contextValue: `spacekit.${level}.unreadable`,
    accessibilityLabel: `${kind} ${name}, no access`,
    children,
  };
}

interface Slot {
  scope: Scope;
  node?: TreeNode;
  reason?: string;
  children: Map<string, Slot>;
}

function slotAt(roots: Map<string, Slot>, scope: Scope): Slot {
  const path = [scope.organization, scope.tenant, scope.space].filter((p) => p !== undefined);
  let level = roots;
  let slot: Slot | undefined;
  const parts: string[] = [];
  for (const part of path) {
    parts.push(part);
    slot = level.get(part);
    if (!slot) {
      const [organization = '', tenant, space] = parts;
      slot = {
        scope: { organization, ...(tenant !== undefined && { tenant }), ...(space !== undefined && { space }) },
        children: new Map(),
      };
      level.set(part, slot);
    }
    level = slot.children;
  }
  if (!slot) throw new Error('a scope names at least an organization');
  return slot;
}

function place(roots: Map<string, Slot>, scope: Scope, node: TreeNode): void {
  slotAt(roots, scope).node = node;
  for (const child of node.children) {
    const childScope: Scope =
      child.kind === 'Tenant'
        ? { organization: scope.organization, tenant: child.name }
        : { organization: scope.organization, tenant: scope.tenant ?? '', space: child.name };
    place(roots, childScope, child);
  }
}

const DEPTH = { organization: 0, tenant: 1, space: 2 } as const;
const HINT =
  'It is shown because something below it is yours. Its admins can give you read access; or add what you work in to the `spacekit.scopes` setting.';

/**
 * The rows of the Spaces view: Organization → Tenant → Space, merged from
 * everything discovery reached. A level the user may not read becomes a plain
 * grouping row that says so, never an error.
 */
export function buildViewTree(reaches: readonly Reach[], rights: ReadonlyMap<string, Rights> = new Map()): ViewNode[] {
  const roots = new Map<string, Slot>();
  // Wider reaches first, so that a narrower one (read directly, so at least as fresh) has the last word.
  const ordered = [...reaches].sort((a, b) => DEPTH[levelOf(a.scope)] - DEPTH[levelOf(b.scope)]);
  for (const reach of ordered) {
    if (reach.kind === 'readable') place(roots, reach.scope, reach.node);
  }
  for (const reach of ordered) {
    if (reach.kind === 'unreadable') {
      const slot = slotAt(roots, reach.scope);
      if (!slot.node) slot.reason = reach.reason;
    }
  }
  const render = (slot: Slot): ViewNode => {
    const children = [...slot.children.values()].sort((a, b) => keyName(a).localeCompare(keyName(b))).map(render);
    if (slot.node) return readableNode(slot.node, slot.scope, children, rights.get(scopeKey(slot.scope)));
    return unreadableNode(slot.scope, slot.reason ?? `You may not read ${scopeLabel(slot.scope)}. ${HINT}`, children);
  };
  return [...roots.values()].sort((a, b) => keyName(a).localeCompare(keyName(b))).map(render);
}

function keyName(slot: Slot): string {
  return slot.scope.space ?? slot.scope.tenant ?? slot.scope.organization;
}

/** Every row, depth first. */
export function flatten(nodes: readonly ViewNode[]): ViewNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

/** The row with this id, if the tree has it. */
export function findNode(nodes: readonly ViewNode[], id: string): ViewNode | undefined {
  return flatten(nodes).find((n) => n.id === id);
}
