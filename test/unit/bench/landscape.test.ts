/**
 * The bench's synthetic account-regions (bench/landscape.ts): the same
 * size and seed give the same landscape, in shapes the snapshot schema
 * reads without a problem, with the resources the size asks for and the
 * mix the README's bench section describes.
 */
import { describe, expect, it } from '@jest/globals';
import { generateLandscape } from '../../../bench/landscape.js';
import { readAccountRegion } from '../../../functions/shared/formats/snapshot.js';

const S = { vpcs: 5, subnets: 100, endpoints: 60 };

describe('generateLandscape', () => {
  it('gives the same landscape for the same size and seed, another for another seed', () => {
    // Act
    const first = generateLandscape(S, 20240601);
    const again = generateLandscape(S, 20240601);
    const other = generateLandscape(S, 7);

    // Assert
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it.each([
    ['S', S],
    ['uneven', { vpcs: 3, subnets: 7, endpoints: 11 }],
    ['one VPC', { vpcs: 1, subnets: 1, endpoints: 1 }],
  ])('is read by the snapshot schema without a problem (%s)', (_name, size) => {
    // Act
    const inventory = readAccountRegion(
      JSON.parse(JSON.stringify(generateLandscape(size, 1))),
      'bench'
    );

    // Assert
    expect(inventory.problems).toEqual([]);
    expect(inventory.vpcs.size).toBe(size.vpcs);
    expect(inventory.subnets.size).toBe(size.subnets);
    expect([...inventory.endpointsByVpc.values()].flat()).toHaveLength(
      size.endpoints
    );
  });

  it('mixes gateway and interface endpoints, public and private subnets, and groups with and without HTTPS', () => {
    // Act
    const landscape = generateLandscape(S, 20240601);

    // Assert
    const types = new Set(landscape.VpcEndpoints.map((e) => e.VpcEndpointType));
    expect(types).toEqual(new Set(['Gateway', 'Interface']));
    const tiers = new Set(
      landscape.Subnets.map((s) => s.Tags?.find((t) => t.Key === 'tier')?.Value)
    );
    expect(tiers).toEqual(new Set(['public', 'private']));
    const ports = landscape.SecurityGroups.map(
      (g) => g.IpPermissions?.[0]?.FromPort
    );
    expect(ports).toContain(443);
    expect(ports).toContain(22);
  });
});
