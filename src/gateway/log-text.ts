import type { GuardPort } from './pipeline.js';

/**
 * What may be written to the log from a text the gateway did not write itself — an error's message or stack,
 * which can carry a model server's own words: configured secrets and bearer tokens removed (`redact`), then
 * personal data masked by the guard (〔氏名1〕, 〔電話番号1〕…). A model server's error often quotes the
 * request (a 500 that echoes the prompt, an error event mid-stream), and the log, unlike the caller, must not
 * see a マイナンバー, a name or an address from it. Only on error paths: the guard runs once per logged line.
 */
export function logTextFilter(redact: (text: string) => string, guard: Pick<GuardPort, 'mask' | 'newSession'>): (text: string) => string {
  return function logText(text: string): string {
    const clean = redact(text);
    try {
      return guard.mask(clean, guard.newSession()).masked;
    } catch {
      // Never log what could not be checked.
      return '[not logged: the text could not be checked for personal data]';
    }
  };
}
