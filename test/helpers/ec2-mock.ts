import {
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  type EC2ClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-ec2';
import type { AwsStub } from 'aws-sdk-client-mock';
import type { AccountRegionSnapshot } from '../../functions/shared/formats/snapshot-schema.js';

/** What `mockClient(EC2Client)` returns. */
type Ec2Stub = AwsStub<
  ServiceInputTypes,
  ServiceOutputTypes,
  EC2ClientResolvedConfig
>;

/**
 * The snapshot schema types enum fields as plain strings, which the SDK's
 * output types (`State: 'available' | …`) do not accept; the values are the
 * ones EC2 returns.
 */
const sdk = (items: readonly unknown[]): never => items as never;

/**
 * Makes a mocked EC2 client answer every describe call the live loader makes
 * with the contents of `snapshot` (one page each; filters are not applied).
 */
const serveSnapshot = (ec2: Ec2Stub, snapshot: AccountRegionSnapshot): void => {
  ec2.on(DescribeVpcsCommand).resolves({ Vpcs: sdk(snapshot.Vpcs) });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: sdk(snapshot.Subnets) });
  ec2
    .on(DescribeRouteTablesCommand)
    .resolves({ RouteTables: sdk(snapshot.RouteTables) });
  ec2
    .on(DescribeVpcEndpointsCommand)
    .resolves({ VpcEndpoints: sdk(snapshot.VpcEndpoints) });
  ec2
    .on(DescribePrefixListsCommand)
    .resolves({ PrefixLists: sdk(snapshot.PrefixLists) });
  ec2
    .on(DescribeVpcEndpointServicesCommand)
    .resolves({ ServiceDetails: sdk(snapshot.ServiceDetails) });
  ec2
    .on(DescribeSecurityGroupsCommand)
    .resolves({ SecurityGroups: sdk(snapshot.SecurityGroups) });
  for (const attributes of snapshot.VpcAttributes) {
    ec2
      .on(DescribeVpcAttributeCommand, {
        VpcId: attributes.VpcId,
        Attribute: 'enableDnsSupport',
      })
      .resolves({
        VpcId: attributes.VpcId,
        EnableDnsSupport: attributes.EnableDnsSupport,
      });
    ec2
      .on(DescribeVpcAttributeCommand, {
        VpcId: attributes.VpcId,
        Attribute: 'enableDnsHostnames',
      })
      .resolves({
        VpcId: attributes.VpcId,
        EnableDnsHostnames: attributes.EnableDnsHostnames,
      });
  }
};

export { serveSnapshot };
