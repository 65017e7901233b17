import { describe, expect, it } from '@jest/globals';
import {
  AWS_PAGE_SIZES,
  type LoadCensus,
  MOTO_PAGE_SIZES,
  minimumCalls,
} from '../../../bench/minimum-calls.js';

/** An account-region with one VPC and one interface endpoint, on AWS. */
const census = (overrides: Partial<LoadCensus> = {}): LoadCensus => ({
  vpcs: 1,
  subnets: 2,
  routeTables: 2,
  vpcEndpoints: 1,
  prefixLists: 2,
  prefixListEntriesWithoutCidrs: [],
  endpointServiceNames: 1,
  serviceDetails: 1,
  endpointGroupIds: 1,
  vpcsWithInterfaceEndpoints: 1,
  hostedZonesPerAskedVpc: [],
  ...overrides,
});

describe('minimumCalls', () => {
  it.each([0, 1, 5, 50])(
    'is the loader budget 7 + 2×%i when every call fits one page',
    (vpcs) => {
      // Arrange
      const small = census({ vpcs, vpcsWithInterfaceEndpoints: vpcs });

      // Act
      const minimum = minimumCalls(small, AWS_PAGE_SIZES);

      // Assert
      expect(minimum.total).toBe(7 + 2 * vpcs);
    }
  );

  it('needs one page of each unconditional call for an empty account', () => {
    // Arrange
    const empty = census({
      vpcs: 0,
      subnets: 0,
      routeTables: 0,
      vpcEndpoints: 0,
      prefixLists: 0,
      endpointServiceNames: 0,
      serviceDetails: 0,
      endpointGroupIds: 0,
      vpcsWithInterfaceEndpoints: 0,
    });

    // Act
    const minimum = minimumCalls(empty, AWS_PAGE_SIZES);

    // Assert
    expect(minimum.total).toBe(5);
    expect(minimum.byOperation).toMatchObject({
      DescribeVpcEndpointServices: 0,
      DescribeSecurityGroups: 0,
      DescribeVpcAttribute: 0,
    });
  });

  it.each([
    ['DescribeVpcs', { vpcs: 1000 }, 1],
    ['DescribeVpcs', { vpcs: 1001 }, 2],
    ['DescribeSubnets', { subnets: 1006 }, 2],
    ['DescribeSubnets', { subnets: 10_006 }, 11],
    ['DescribeRouteTables', { routeTables: 100 }, 1],
    ['DescribeRouteTables', { routeTables: 251 }, 3],
    ['DescribeVpcEndpoints', { vpcEndpoints: 2500 }, 3],
    ['DescribeVpcEndpointServices', { serviceDetails: 1001 }, 2],
    ['DescribeSecurityGroups', { endpointGroupIds: 200 }, 1],
    ['DescribeSecurityGroups', { endpointGroupIds: 201 }, 2],
    ['DescribeSecurityGroups', { endpointGroupIds: 401 }, 3],
    ['GetManagedPrefixListEntries', { prefixListEntriesWithoutCidrs: [] }, 0],
    ['ListHostedZonesByVPC', { hostedZonesPerAskedVpc: [] }, 0],
    ['ListHostedZonesByVPC', { hostedZonesPerAskedVpc: [0, 3] }, 2],
    ['ListHostedZonesByVPC', { hostedZonesPerAskedVpc: [100, 101] }, 3],
    [
      'GetManagedPrefixListEntries',
      { prefixListEntriesWithoutCidrs: [0, 100, 101] },
      4,
    ],
    ['DescribeVpcAttribute', { vpcsWithInterfaceEndpoints: 7 }, 14],
  ] as const)(
    'pages %s on AWS for %j in %i calls',
    (operation, overrides, calls) => {
      // Act
      const minimum = minimumCalls(census(overrides), AWS_PAGE_SIZES);

      // Assert
      expect(minimum.byOperation[operation]).toBe(calls);
    }
  );

  it('counts one page where moto ignores MaxResults', () => {
    // Arrange: the M landscape as moto holds it.
    const m = census({
      vpcs: 51,
      subnets: 1006,
      routeTables: 251,
      vpcEndpoints: 600,
      prefixListEntriesWithoutCidrs: [5, 3],
      endpointServiceNames: 14,
      serviceDetails: 15,
      endpointGroupIds: 100,
      vpcsWithInterfaceEndpoints: 50,
    });

    // Act
    const onMoto = minimumCalls(m, MOTO_PAGE_SIZES);
    const onAws = minimumCalls(m, AWS_PAGE_SIZES);

    // Assert
    expect(onMoto.total).toBe(5 + 1 + 1 + 2 + 2 * 50);
    // AWS pages the 1,006 subnets in two and the 251 route tables in three.
    expect(onAws.total).toBe(onMoto.total + 1 + 2);
  });

  it('is the sum of its operations', () => {
    // Act
    const minimum = minimumCalls(
      census({ subnets: 5000, endpointGroupIds: 650 }),
      AWS_PAGE_SIZES
    );

    // Assert
    expect(minimum.total).toBe(
      Object.values(minimum.byOperation).reduce((a, b) => a + b, 0)
    );
  });
});
