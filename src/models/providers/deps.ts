/** What a provider may receive from its surroundings (tests and the server pass these in). */
export interface ProviderDeps {
  env: NodeJS.ProcessEnv;
  /** Replace the HTTP client's fetch (tests only). */
  fetch?: typeof globalThis.fetch;
}
