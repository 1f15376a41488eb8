/**
 * Removes secrets from text before it is logged or sent: every configured secret verbatim, plus
 * anything shaped like a bearer token, an API key or a password in a URL.
 */
export class Redactor {
  private secrets: string[];
  constructor(secrets: Iterable<string | undefined>) {
    this.secrets = Redactor.usable(secrets);
  }
  /** Also remove these from now on (API keys a reload brought in; the ones it dropped stay redacted). */
  add(secrets: Iterable<string | undefined>): void {
    this.secrets = Redactor.usable([...this.secrets, ...secrets]);
  }
  private static usable(secrets: Iterable<string | undefined>): string[] {
    return [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.length >= 6))].sort((a, b) => b.length - a.length);
  }
  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('***');
    return out
      .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{6,}/gi, '$1***')
      // API keys of OpenAI-style vendors (sk-…, sk-proj-…) and hiraga's own (hk_… from `hiraga keys new`, hk-…).
      .replace(/\b(sk|hk)([-_])[A-Za-z0-9_-]{8,}/g, '$1$2***')
      .replace(/(\/\/[^/\s:@]+:)[^@\s/]+@/g, '$1***@');
  }
}
