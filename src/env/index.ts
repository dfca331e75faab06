/** Service environments: what every service (and `devlaunch run`'s command) receives. */
export { commandEnvironment, type ServiceEnvInput, serviceEnvironment } from './build.js';
export { envProblems } from './check.js';
export { dotenvPaths, loadDotenvFiles } from './dotenv.js';
export { type DotenvValue, dotenvValue } from './dotenv-format.js';
export { type Expansion, expand } from './expand.js';
export { mergeEnv } from './merge.js';
export {
  envName,
  injectedNames,
  injectedVariables,
  type ResolvedPorts,
  serviceUrlOf,
  serviceVariableNames,
} from './names.js';
export { describeOverride, findOverrides, type Override } from './overrides.js';
export { EnvStore, type KeptEnv } from './shared.js';
