/**
 * The `vpc-hosted-zones` inventory source: the Route 53 private hosted
 * zones associated with given VPCs, including zones that other accounts own
 * and associated with them (the hub-and-spoke pattern of centralised
 * interface endpoints). One `ListHostedZonesByVPC` call per VPC (plus a
 * page per 100 zones), never per subnet or endpoint.
 */
import {
  ListHostedZonesByVPCCommand,
  type ListHostedZonesByVPCCommandOutput,
  type Route53Client,
  type VPCRegion,
} from '@aws-sdk/client-route-53';
import { toAwsCallError } from '../errors.js';
import type { R53VpcHostedZones } from '../formats/snapshot-schema.js';
import { mapWithLimit } from './map-with-limit.js';

/** The largest page ListHostedZonesByVPC returns. */
const PAGE_SIZE = 100;

// Route 53's control plane allows five requests per second per account;
// two in flight keeps a large account's lookups under that.
const CONCURRENCY = 2;

/** The client, and the identity named when AWS refuses a call. */
interface Route53Caller {
  readonly route53: Route53Client;
  readonly principal: string;
}

/**
 * The `VPCRegion` of a Region id. The SDK types it as the Regions it knew
 * when it was built; the API takes any Region id, so a newer one is passed
 * on as it is.
 */
const vpcRegionOf = (region: string): VPCRegion => region as VPCRegion;

/** Every page of one VPC's zones. */
async function* zonePages(
  caller: Route53Caller,
  vpcId: string,
  region: string
): AsyncGenerator<ListHostedZonesByVPCCommandOutput> {
  let nextToken: string | undefined;
  do {
    const page = await caller.route53.send(
      new ListHostedZonesByVPCCommand({
        VPCId: vpcId,
        VPCRegion: vpcRegionOf(region),
        MaxItems: PAGE_SIZE,
        NextToken: nextToken,
      })
    );
    yield page;
    nextToken = page.NextToken;
  } while (nextToken);
}

/** One VPC's zones, in the snapshot's shape (the response, with its VPC id). */
const zonesOfVpc = async (
  caller: Route53Caller,
  vpcId: string,
  region: string
): Promise<R53VpcHostedZones> => {
  const summaries: NonNullable<R53VpcHostedZones['HostedZoneSummaries']> = [];
  try {
    for await (const page of zonePages(caller, vpcId, region)) {
      for (const zone of page.HostedZoneSummaries ?? []) {
        if (zone.HostedZoneId === undefined || zone.Name === undefined)
          continue;
        summaries.push({
          HostedZoneId: zone.HostedZoneId,
          Name: zone.Name,
          ...(zone.Owner === undefined ? {} : { Owner: { ...zone.Owner } }),
        });
      }
    }
  } catch (error) {
    throw toAwsCallError(
      error,
      'route53:ListHostedZonesByVPC',
      caller.principal
    );
  }
  return { VpcId: vpcId, HostedZoneSummaries: summaries };
};

/**
 * The private hosted zones of `vpcIds` in `region`, one entry per VPC in
 * the order given, at most two lookups in flight.
 *
 * @param route53 - a Route 53 client with the account's credentials
 * @param principal - the role or identity name, for AccessDenied messages
 * @throws AwsCallError (AccessDeniedError when refused) naming
 *   `route53:ListHostedZonesByVPC`; a failure never yields a partial list
 */
const loadVpcHostedZones = async (
  route53: Route53Client,
  region: string,
  vpcIds: readonly string[],
  principal: string
): Promise<R53VpcHostedZones[]> => {
  const caller: Route53Caller = { route53, principal };
  return mapWithLimit(vpcIds, CONCURRENCY, (vpcId) =>
    zonesOfVpc(caller, vpcId, region)
  );
};

export { loadVpcHostedZones };
