/** Resolves at `due` (a performance.now() time); a wait of 1 ms or less is not slept (timers are not finer). */
export async function waitUntil(due: number): Promise<void> {
  const wait = due - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
}
