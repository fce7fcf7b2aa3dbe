/**
 * What the proxy backends share (lib/_proxy/common.ts): the IPv6 test that answers a host without
 * a ":" without Node.js's expression (its first call costs a synth's start ~3 ms).
 */
import { isIPv6 } from 'net';
import * as fc from 'fast-check';
import { HOST_RULE, hostPort, isIPv6Address } from '../lib/_proxy/common';
import { propertyRuns } from './util/depth';

describe('isIPv6Address', () => {
  test('GIVEN any string (IPv6 and IPv4 addresses, DNS names, zone ids, junk) THEN it answers as net.isIPv6', () => {
    const host = fc.oneof(
      fc.ipV6(),
      fc.ipV4(),
      fc.ipV4Extended(),
      fc.domain(),
      fc.tuple(fc.ipV6(), fc.stringMatching(/^[a-z0-9]{1,8}$/)).map(([a, zone]) => `${a}%${zone}`),
      fc.string(),
      fc.stringMatching(/^[0-9a-f:.[\]%]{0,40}$/),
    );
    fc.assert(fc.property(host, (h) => isIPv6Address(h) === isIPv6(h)), { numRuns: propertyRuns(200, 2000) });
  });

  test('GIVEN the forms a user writes THEN the answers are the expected ones', () => {
    expect(['fd00::10', '::1', '::', 'fe80::1%eth0', '2001:db8::8a2e:370:7334'].map(isIPv6Address)).toEqual([true, true, true, true, true]);
    expect(['10.0.0.5', 'redis.data.svc', 'redis', '', ':', 'fd00::g', '[fd00::10]'].map(isIPv6Address)).toEqual([false, false, false, false, false, false, false]);
  });

  test('GIVEN an upstream host THEN HOST_RULE and hostPort treat IPv6 as before: accepted, and bracketed in "host:port"', () => {
    expect(['fd00::10', '10.0.0.5', 'redis.data'].map((h) => HOST_RULE.test(h))).toEqual([true, true, true]);
    expect(HOST_RULE.test('fd00::g')).toBe(false);
    expect([hostPort('fd00::10', 6379), hostPort('redis', 6379), hostPort('10.0.0.5', 6379)]).toEqual(['[fd00::10]:6379', 'redis:6379', '10.0.0.5:6379']);
  });
});
