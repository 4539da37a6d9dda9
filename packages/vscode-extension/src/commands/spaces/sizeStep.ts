import type * as vscode from 'vscode';
import { type Amounts, describeAmounts, leftAfter } from '../../model/budget.ts';
import { CUSTOM_SIZE_EXAMPLE, describeSize, parseCustomSize, type Size, sizeProblem, sizeResources } from '../../model/spaceInput.ts';
import { BACK, inputStep, pickStep, type StepPosition } from './steps.ts';

interface SizeItem extends vscode.QuickPickItem {
  size?: Size;
  problem?: string;
}

/** What the size step needs: who asks (for the schema check), the presets, and what the tenant has free. */
export interface SizeStepOptions {
  base: { organization: string; tenant: string; name: string };
  presets: readonly Size[];
  free: Amounts;
  /** `tenant acme/payments`, for messages. */
  owner: string;
  /** A resize starts from the Space's current size. */
  current?: Size;
}

/**
 * The size step: presets, each marked with whether it fits the tenant's
 * remaining budget, plus a custom size validated as the user types. A size
 * that does not fit cannot be chosen, so nothing too big is ever sent.
 */
export async function sizeStep(position: StepPosition, options: SizeStepOptions): Promise<Size | typeof BACK | undefined> {
  const items: SizeItem[] = options.presets.map((size) => {
    const problem = sizeProblem(options.base, size, options.free, options.owner);
    return {
      label: size.label,
      description: describeSize(size),
      detail: problem
        ? `$(error) ${problem}`
        : `$(check) fits; leaves ${describeAmounts(leftAfter(options.free, sizeResources(size)))} free`,
      size,
      ...(problem !== undefined && { problem }),
    };
  });
  const custom: SizeItem = { label: 'Custom size…', description: 'cpu and memory of your choice' };
  items.push(custom);
  const prompt = `${options.owner} has ${describeAmounts(options.free)} free${options.current ? ` (counting this Space's own ${describeSize(options.current)})` : ''}.`;
  for (;;) {
    const picked = await pickStep<SizeItem>({ ...position, items, placeholder: 'Choose a size', prompt, refuse: (item) => item.problem });
    if (picked === BACK || picked === undefined) return picked;
    if (picked.size) return picked.size;
    const text = await inputStep({
      ...position,
      prompt: `CPU and memory, such as ${CUSTOM_SIZE_EXAMPLE}. ${prompt}`,
      placeholder: CUSTOM_SIZE_EXAMPLE,
      value: options.current ? `cpu=${options.current.cpu} memory=${options.current.memory}` : '',
      validate: (value) => {
        const parsed = parseCustomSize(value);
        if ('problem' in parsed) return parsed.problem;
        return sizeProblem(options.base, parsed.size, options.free, options.owner);
      },
    });
    if (text === undefined) return undefined;
    if (text === BACK) continue;
    const parsed = parseCustomSize(text);
    if ('size' in parsed) return parsed.size;
  }
}
