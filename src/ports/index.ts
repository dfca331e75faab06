/** Ports: probing, handing out free ports, and who holds a port. */

export {
  listenersOn,
  parseExcludedPortRanges,
  portsListenedBy,
  sharedPortsListenedBy,
  windowsReservedRanges,
} from './holders/index.js';
export {
  type BindResult,
  firstFreePort,
  isPortFree,
  osPort,
  probePort,
  waitAllBindable,
  waitBindable,
} from './probe.js';
export type { Listener, Ownership, PortHolder } from './types.js';
