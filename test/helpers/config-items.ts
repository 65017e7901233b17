import type { ConfigurationItem as ApiConfigurationItem } from '@aws-sdk/client-config-service';

const ACCOUNT = '111122223333';

/**
 * A route table's configuration item in the **API model**, as
 * `GetResourceConfigHistory` returns it (dates as `Date`, `configuration`
 * and supplementary values as JSON text).
 */
const apiItem = (
  overrides: Partial<ApiConfigurationItem> = {}
): ApiConfigurationItem => ({
  version: '1.3',
  accountId: ACCOUNT,
  configurationItemCaptureTime: new Date('2025-03-14T10:02:41.907Z'),
  configurationItemStatus: 'OK',
  configurationStateId: '1741946561907',
  configurationItemMD5Hash: 'abc123',
  arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:route-table/rtb-0ad70dd891a8ce93e`,
  resourceType: 'AWS::EC2::RouteTable',
  resourceId: 'rtb-0ad70dd891a8ce93e',
  awsRegion: 'us-east-1',
  availabilityZone: 'Not Applicable',
  resourceCreationTime: new Date('2021-05-16T10:58:00.000Z'),
  tags: { Name: 'prod-private-a' },
  relatedEvents: [],
  relationships: [
    {
      resourceType: 'AWS::EC2::VPC',
      resourceId: 'vpc-06f35b9576fbddd40',
      relationshipName: 'Is contained in Vpc',
    },
    {
      resourceType: 'AWS::EC2::Subnet',
      resourceId: 'subnet-0cc5748b0ccfa60d4',
      relationshipName: 'Is associated with Subnet',
    },
  ],
  configuration: JSON.stringify({
    routeTableId: 'rtb-0ad70dd891a8ce93e',
    vpcId: 'vpc-06f35b9576fbddd40',
    routes: [{ destinationCidrBlock: '10.10.0.0/16', gatewayId: 'local' }],
  }),
  supplementaryConfiguration: {
    Tags: '[{"key":"Name","value":"prod-private-a"}]',
  },
  ...overrides,
});

export { apiItem };
