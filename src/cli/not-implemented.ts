import { DevlaunchError } from '../errors.js';

/** A command of the contract that this version does not have yet: said plainly, exit 2. */
export function notImplemented(command: string): never {
  throw new DevlaunchError(
    'NOT_IMPLEMENTED',
    `devlaunch ${command} is not built yet in this version.`,
    {
      hint: 'See the README for the commands available today.',
    },
  );
}
