/** What a provider may receive from its surroundings (tests and the server pass these in). */
export interface ProviderDeps {
  env: NodeJS.ProcessEnv;
}
