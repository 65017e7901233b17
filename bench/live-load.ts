/**
 * The live-load part of `npm run bench`: a landscape is recreated in moto,
 * loaded for every rule of the registry (`loadAccountRegion`, as `scan
 * --region` does) through call-counting clients, and the calls are set
 * against the minimum for what moto holds (bench/minimum-calls.ts).
 */
import {
  DescribePrefixListsCommand,
  DescribeVpcEndpointServicesCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import {
  ListHostedZonesByVPCCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { loadAccountRegion } from '../functions/shared/aws/account-inventory.js';
import {
  CallCounter,
  countCalls,
} from '../functions/shared/aws/call-counter.js';
import { rules } from '../rules/index.js';
import type { Inventory } from '../rules/model/inventory.js';
import type { PreparedRule } from '../rules/model/rule.js';
import type { Landscape } from './landscape.js';
import {
  AWS_PAGE_SIZES,
  type Ec2Operation,
  type LoadCensus,
  MOTO_PAGE_SIZES,
  minimumCalls,
} from './minimum-calls.js';
import { populateMoto } from './moto-landscape.js';
import type { MotoServer } from './moto-server.js';
import { round } from './stats.js';

const REGION = 'us-east-1';
// moto's default account.
const ACCOUNT = '123456789012';

/** One live-load line of the bench. */
interface LiveLoadResult {
  readonly case: string;
  readonly awsCalls: number;
  readonly minimumCalls: number;
  readonly ratio: number;
}

const motoConfig = (moto: MotoServer) => ({
  endpoint: moto.endpoint,
  region: REGION,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});

const ec2Client = (moto: MotoServer): EC2Client =>
  new EC2Client(motoConfig(moto));

const route53Client = (moto: MotoServer): Route53Client =>
  new Route53Client(motoConfig(moto));

/**
 * The private hosted zones of each VPC the rules ask about, counted with
 * the bench's own queries (all pages, no `MaxItems`).
 */
const hostedZonesPerAskedVpc = async (
  route53: Route53Client,
  prepared: readonly PreparedRule[],
  inventory: Inventory
): Promise<number[]> => {
  const asked = [
    ...new Set(prepared.flatMap((rule) => rule.hostedZoneVpcs(inventory))),
  ];
  return Promise.all(
    asked.map(async (vpcId) => {
      let zones = 0;
      let nextToken: string | undefined;
      do {
        const page = await route53.send(
          new ListHostedZonesByVPCCommand({
            VPCId: vpcId,
            VPCRegion: REGION,
            NextToken: nextToken,
          })
        );
        zones += page.HostedZoneSummaries?.length ?? 0;
        nextToken = page.NextToken;
      } while (nextToken);
      return zones;
    })
  );
};

/** All items of a paginated call, asked without `MaxResults`. */
const count = async <P>(
  pages: AsyncIterable<P>,
  itemsOf: (page: P) => readonly unknown[] | undefined
): Promise<number> => {
  let items = 0;
  for await (const page of pages) items += itemsOf(page)?.length ?? 0;
  return items;
};

/**
 * Counts what moto holds for each call of a full load, with its own
 * queries (not the loader's), so a loader that drops items cannot lower
 * its own minimum.
 */
const takeCensus = async (
  ec2: EC2Client
): Promise<Omit<LoadCensus, 'hostedZonesPerAskedVpc'>> => {
  const client = { client: ec2 };
  const vpcIds = new Set<string>();
  for await (const page of paginateDescribeVpcs(client, {})) {
    for (const vpc of page.Vpcs ?? []) {
      if (vpc.VpcId !== undefined) vpcIds.add(vpc.VpcId);
    }
  }
  const endpoints = [];
  for await (const page of paginateDescribeVpcEndpoints(client, {})) {
    endpoints.push(...(page.VpcEndpoints ?? []));
  }
  const serviceNames = [
    ...new Set(endpoints.flatMap((e) => e.ServiceName ?? [])),
  ];
  let serviceDetails = 0;
  let nextToken: string | undefined;
  while (serviceNames.length > 0) {
    const page = await ec2.send(
      new DescribeVpcEndpointServicesCommand({
        ServiceNames: serviceNames,
        NextToken: nextToken,
      })
    );
    serviceDetails += page.ServiceDetails?.length ?? 0;
    nextToken = page.NextToken;
    if (!nextToken) break;
  }
  const prefixLists =
    (
      await ec2.send(
        new DescribePrefixListsCommand({
          Filters: [
            {
              Name: 'prefix-list-name',
              Values: ['s3', 'dynamodb'].map(
                (service) => `com.amazonaws.${REGION}.${service}`
              ),
            },
          ],
        })
      )
    ).PrefixLists ?? [];
  const prefixListEntriesWithoutCidrs = await Promise.all(
    prefixLists
      .filter((list) => list.Cidrs === undefined)
      .map(
        async (list) =>
          (
            await ec2.send(
              new GetManagedPrefixListEntriesCommand({
                PrefixListId: list.PrefixListId,
              })
            )
          ).Entries?.length ?? 0
      )
  );
  return {
    vpcs: vpcIds.size,
    subnets: await count(
      paginateDescribeSubnets(client, {}),
      (page) => page.Subnets
    ),
    routeTables: await count(
      paginateDescribeRouteTables(client, {}),
      (page) => page.RouteTables
    ),
    vpcEndpoints: endpoints.length,
    prefixLists: prefixLists.length,
    prefixListEntriesWithoutCidrs,
    endpointServiceNames: serviceNames.length,
    serviceDetails,
    endpointGroupIds: new Set(
      endpoints.flatMap((e) => (e.Groups ?? []).flatMap((g) => g.GroupId ?? []))
    ).size,
    vpcsWithInterfaceEndpoints: new Set(
      endpoints
        .filter((e) => e.VpcEndpointType === 'Interface')
        .flatMap((e) => e.VpcId ?? [])
        .filter((vpcId) => vpcIds.has(vpcId))
    ).size,
  };
};

/**
 * Records every `MaxResults` the loader sends that is not the API maximum:
 * moto ignores `MaxResults` on most calls, so a too-small page would cost
 * calls only on AWS and the count alone would not show it.
 */
const watchPageSizes = (ec2: EC2Client, pageSizeMisses: string[]): void => {
  ec2.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const sent = (args.input as { MaxResults?: unknown }).MaxResults;
      const maximum = (AWS_PAGE_SIZES as Record<string, number | undefined>)[
        operation
      ];
      if (
        sent !== undefined &&
        maximum !== undefined &&
        Number.isFinite(maximum) &&
        sent !== maximum
      ) {
        pageSizeMisses.push(
          `${operation} MaxResults ${String(sent)}, not the maximum ${maximum}`
        );
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchPageSizeWatch', override: true }
  );
};

/** `EC2:DescribeVpcsCommand` → `DescribeVpcs`. */
const operationOf = (counted: string): string =>
  counted.replace(/^\w+:/, '').replace(/Command$/, '');

/**
 * Resets moto, recreates `landscape` in it and loads it once through a
 * counting client. Progress goes to stderr; the result is the bench line.
 *
 * @throws Error when the loader asks for pages smaller than the API maximum
 */
const measureLiveLoad = async (
  moto: MotoServer,
  name: string,
  landscape: Landscape
): Promise<LiveLoadResult> => {
  await moto.reset();
  const populateStart = performance.now();
  await populateMoto(ec2Client(moto), landscape);
  const populateSeconds = (performance.now() - populateStart) / 1000;
  console.error(
    `bench: populated moto with ${name} in ${populateSeconds.toFixed(1)} s`
  );
  const ec2Census = await takeCensus(ec2Client(moto));

  const counter = new CallCounter();
  const pageSizeMisses: string[] = [];
  const ec2 = ec2Client(moto);
  const route53 = route53Client(moto);
  countCalls(ec2, counter);
  countCalls(route53, counter);
  watchPageSizes(ec2, pageSizeMisses);
  const prepared = rules.map((rule) => rule.prepare({}));
  const { inventory } = await loadAccountRegion(
    { ec2, route53, principal: 'moto' },
    { accountId: ACCOUNT, region: REGION, partition: 'aws' },
    prepared,
    name
  );
  const census: LoadCensus = {
    ...ec2Census,
    hostedZonesPerAskedVpc: await hostedZonesPerAskedVpc(
      route53Client(moto),
      prepared,
      inventory
    ),
  };
  if (pageSizeMisses.length > 0) {
    throw new Error(
      `the loader does not ask for the largest page: ${[...new Set(pageSizeMisses)].join('; ')}`
    );
  }

  const minimum = minimumCalls(census, MOTO_PAGE_SIZES);
  const made = Object.fromEntries(
    Object.entries(counter.byOperation()).map(([op, calls]) => [
      operationOf(op),
      calls,
    ])
  );
  const operations = new Set([
    ...Object.keys(made),
    ...Object.keys(minimum.byOperation),
  ]);
  for (const operation of operations) {
    const actual = made[operation] ?? 0;
    const least = minimum.byOperation[operation as Ec2Operation] ?? 0;
    if (actual !== least) {
      console.error(
        `bench: ${name} ${operation}: ${actual} calls, minimum ${least}`
      );
    }
  }
  // The loader asks for the largest pages (checked above), so on AWS it
  // would make the AWS minimum for the same items: more pages, no entries.
  const onAws = minimumCalls(
    { ...census, prefixListEntriesWithoutCidrs: [] },
    AWS_PAGE_SIZES
  );
  console.error(
    `bench: ${name} holds ${census.vpcs} VPCs, ${census.subnets} subnets, ${census.routeTables} route tables, ${census.vpcEndpoints} endpoints; minimum on AWS ${onAws.total} calls`
  );
  return {
    case: name,
    awsCalls: counter.total,
    minimumCalls: minimum.total,
    ratio: round(counter.total / minimum.total, 2),
  };
};

export type { LiveLoadResult };
export { measureLiveLoad };
