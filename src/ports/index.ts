/** Ports: probing, handing out free ports, and who holds a port. */

export { dynamicPools, ephemeralRange, LOW_FLOOR, type PortRange } from './dynamic-range.js';
export {
  listenersOn,
  parseExcludedPortRanges,
  portsListenedBy,
  sharedPortsListenedBy,
  windowsReservedRanges,
} from './holders/index.js';
export {
  type BindResult,
  dynamicPort,
  firstFreePort,
  isPortFree,
  osPort,
  probePort,
  waitAllBindable,
  waitBindable,
} from './probe.js';
export type { Listener, Ownership, PortHolder } from './types.js';
