/**
 * A named place where a test may stop this process on purpose: when
 * `SPACEKIT_FAILPOINT` names it, the process says so on stderr
 * (`failpoint <name>`) and waits there for ever, holding the event loop open,
 * so that the test can SIGKILL it at exactly that step. Otherwise it returns
 * at once. Crash-safety tests use it to stop between two writes that a real
 * crash could separate.
 */
export async function failpoint(name: string): Promise<void> {
  if (process.env.SPACEKIT_FAILPOINT !== name) return;
  process.stderr.write(`failpoint ${name}\n`);
  await new Promise<never>(() => {
    setInterval(() => {}, 2 ** 30);
  });
}
