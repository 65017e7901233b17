/**
 * Loads one account-region for a set of rules, reading each inventory
 * source the rules name (rules/model/rule.ts `INVENTORY_SOURCES`) and no
 * other: the `ec2` source first, then, when a rule reads
 * `vpc-hosted-zones`, the private hosted zones of exactly the VPCs the
 * rules ask about. The Lambda (one rule), `scan --region` and `snapshot`
 * (every selected rule) all load through here.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { Inventory } from '../../../rules/model/inventory.js';
import type { PreparedRule } from '../../../rules/model/rule.js';
import { readAccountRegion } from '../formats/snapshot.js';
import type { AccountRegionSnapshot } from '../formats/snapshot-schema.js';
import { type LoadScope, loadSnapshotFromEc2 } from './ec2-inventory.js';
import { loadVpcHostedZones } from './vpc-hosted-zones.js';

/** The clients of the account the inventory is read from. */
interface InventoryClients {
  readonly ec2: EC2Client;
  readonly route53: Route53Client;
  /** The role or identity name, for AccessDenied messages. */
  readonly principal: string;
}

/** One account-region as loaded: the wire snapshot and the domain model. */
interface LoadedAccountRegion {
  /** What `vpce-guard snapshot` writes; `readAccountRegion` reads it back. */
  readonly snapshot: AccountRegionSnapshot;
  readonly inventory: Inventory;
}

/** The VPCs whose hosted zones any of `rules` needs, sorted. */
const hostedZoneVpcsOf = (
  rules: readonly PreparedRule[],
  inventory: Inventory
): string[] =>
  [
    ...new Set(
      rules
        .filter((rule) => rule.metadata.inventory.includes('vpc-hosted-zones'))
        .flatMap((rule) => rule.hostedZoneVpcs(inventory))
    ),
  ].sort();

/**
 * Loads one account-region (or one VPC of it) for `rules`.
 *
 * @param source - names the account-region in messages (`ec2 111122223333/us-east-1`)
 * @throws AwsCallError (AccessDeniedError when refused) naming the failed
 *   IAM action; InputError when the account-region's top level cannot be read
 */
const loadAccountRegion = async (
  clients: InventoryClients,
  scope: LoadScope,
  rules: readonly PreparedRule[],
  source: string
): Promise<LoadedAccountRegion> => {
  const ec2Snapshot = await loadSnapshotFromEc2(
    clients.ec2,
    scope,
    clients.principal
  );
  const ec2Inventory = readAccountRegion(ec2Snapshot, source);
  const vpcIds = hostedZoneVpcsOf(rules, ec2Inventory);
  if (vpcIds.length === 0) {
    return { snapshot: ec2Snapshot, inventory: ec2Inventory };
  }
  const snapshot: AccountRegionSnapshot = {
    ...ec2Snapshot,
    VpcHostedZones: await loadVpcHostedZones(
      clients.route53,
      scope.region,
      vpcIds,
      clients.principal
    ),
  };
  return { snapshot, inventory: readAccountRegion(snapshot, source) };
};

export type { InventoryClients, LoadedAccountRegion };
export { loadAccountRegion };
