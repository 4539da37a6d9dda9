import * as vscode from 'vscode';

/** The user pressed the Back button of a step. */
export const BACK = Symbol('back');

/** Where a step sits in its flow; a flow of one step has no counter ("(1/1)" says nothing). */
export interface StepPosition {
  title: string;
  step?: number;
  totalSteps?: number;
}

/** The quick input's counter fields: none for a lone step. */
function counter(position: StepPosition): { step?: number; totalSteps?: number } {
  return position.step !== undefined && (position.totalSteps ?? 1) > 1 ? { step: position.step, totalSteps: position.totalSteps ?? 1 } : {};
}

/**
 * One quick pick step. `refuse` can keep the step open on an item that may
 * not be chosen (a size too big for the budget), showing why instead.
 * Resolves with the item, {@link BACK}, or undefined when dismissed.
 */
export function pickStep<T extends vscode.QuickPickItem>(
  position: StepPosition & {
    items: readonly T[];
    placeholder: string;
    prompt?: string;
    active?: T | undefined;
    refuse?: (item: T) => string | undefined;
  },
): Promise<T | typeof BACK | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<T>();
    Object.assign(pick, { title: position.title, ...counter(position), placeholder: position.placeholder, ignoreFocusOut: true });
    if (position.prompt !== undefined) pick.prompt = position.prompt;
    pick.items = position.items;
    if (position.active) pick.activeItems = [position.active];
    pick.buttons = (position.step ?? 1) > 1 ? [vscode.QuickInputButtons.Back] : [];
    let done = false;
    const finish = (value: T | typeof BACK | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish(BACK));
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0] ?? pick.activeItems[0];
      if (!item) return;
      const refusal = position.refuse?.(item);
      if (refusal) {
        pick.prompt = `$(error) ${refusal}`;
        return;
      }
      finish(item);
    });
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}

/**
 * One input box step, validated as the user types: Enter does nothing while
 * `validate` has a complaint. Resolves with the text, {@link BACK}, or
 * undefined when dismissed.
 */
export function inputStep(
  position: StepPosition & { prompt: string; placeholder?: string; value?: string; validate: (value: string) => string | undefined },
): Promise<string | typeof BACK | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    Object.assign(box, { title: position.title, ...counter(position), prompt: position.prompt, ignoreFocusOut: true });
    if (position.placeholder !== undefined) box.placeholder = position.placeholder;
    box.value = position.value ?? '';
    box.buttons = (position.step ?? 1) > 1 ? [vscode.QuickInputButtons.Back] : [];
    const check = (value: string) => {
      // An empty box is not yet wrong: the prompt already says what to type.
      box.validationMessage = value === '' ? undefined : position.validate(value);
    };
    check(box.value);
    let done = false;
    const finish = (value: string | typeof BACK | undefined) => {
      if (done) return;
      done = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue(check);
    box.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish(BACK));
    box.onDidAccept(() => {
      const problem = position.validate(box.value);
      box.validationMessage = problem;
      if (!problem) finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}
