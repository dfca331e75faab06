/** doctor's `dynamic ports` line: where auto and --dynamic ports come from on this machine. */
import { describe, expect, it } from 'vitest';
import { checkDynamicPorts } from '../../../src/app/doctor/port-ranges.js';

describe('checkDynamicPorts', () => {
  it('names the pools outside the ephemeral range, best first', () => {
    expect(checkDynamicPorts({ from: 32768, to: 60999 }, 'linux')).toEqual({
      check: 'dynamic ports',
      status: 'ok',
      message: 'picked from 61000-65535, then 10000-32767: outside the ephemeral range 32768-60999',
      hint: null,
    });
    expect(checkDynamicPorts({ from: 49152, to: 65535 }, 'darwin').message).toBe(
      'picked from 10000-49151: outside the ephemeral range 49152-65535',
    );
  });

  it('warns when the range covers every port from 10000 up, with the fix for the system', () => {
    const linux = checkDynamicPorts({ from: 1024, to: 65535 }, 'linux');
    expect(linux.status).toBe('warn');
    expect(linux.message).toMatch(/ephemeral range 1024-65535 covers every port from 10000 up/);
    expect(linux.hint).toContain("sysctl net.ipv4.ip_local_port_range='32768 60999'");
    const mac = checkDynamicPorts({ from: 10000, to: 65535 }, 'darwin');
    expect(mac.status).toBe('warn');
    expect(mac.hint).toMatch(/49152-65535/);
  });
});
