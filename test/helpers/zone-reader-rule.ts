import type { Inventory } from '../../rules/model/inventory.js';
import {
  defineRule,
  type InventorySource,
  notApplicable,
  type PreparedRule,
} from '../../rules/model/rule.js';

/**
 * A test rule on VPCs that reads `sources` and asks for the hosted zones of
 * the VPCs `wanted` picks; its verdicts do not matter.
 */
const zoneReaderRule = (
  wanted: (inventory: Inventory) => string[],
  sources: readonly InventorySource[] = ['ec2', 'vpc-hosted-zones']
): PreparedRule =>
  defineRule({
    metadata: {
      id: 'zone-reader',
      title: 'reads zones',
      description: 'test rule',
      severity: 'LOW',
      resourceKind: 'vpc',
      triggerResourceTypes: ['AWS::EC2::VPC'],
      inventory: sources,
      remediation: { text: 'none', actions: [] },
    },
    parameters: {},
    resources: (inventory) => inventory.vpcs.values(),
    judge: () => () => notApplicable('test'),
    hostedZoneVpcs: (inventory) => wanted(inventory),
  }).prepare({});

export { zoneReaderRule };
