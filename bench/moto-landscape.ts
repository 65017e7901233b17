/**
 * Recreates a synthetic landscape (bench/landscape.ts) in moto through the
 * EC2 API, so the live-load bench reads the same VPCs, subnets, route
 * tables, endpoints and security groups the evaluation bench evaluates.
 *
 * What moto cannot take over verbatim: ids (moto makes its own; they are
 * mapped), the AWS-managed prefix lists (moto has its own S3 and DynamoDB
 * lists, which gateway endpoints route to), the service details (moto has
 * its own catalogue) and `MapPublicIpOnLaunch` (no rule reads it). Gateway
 * endpoints are attached to the route tables that route the service's
 * prefix list to them; moto adds those routes itself.
 */
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeRouteTablesCommand,
  type EC2Client,
  type IpPermission,
  ModifyVpcAttributeCommand,
  type ResourceType,
  type TagSpecification,
} from '@aws-sdk/client-ec2';
import type { Ec2Tags } from '../functions/shared/formats/snapshot-schema.js';
import type { Landscape } from './landscape.js';

/** Maps the landscape's ids to the ids moto gave the same resources. */
class IdMap {
  private readonly ids = new Map<string, string>();

  public set(landscapeId: string, motoId: string | undefined): string {
    if (motoId === undefined) {
      throw new Error(`moto returned no id for ${landscapeId}`);
    }
    this.ids.set(landscapeId, motoId);
    return motoId;
  }

  public get(landscapeId: string): string {
    const id = this.ids.get(landscapeId);
    if (id === undefined) throw new Error(`${landscapeId} was not created`);
    return id;
  }

  public has(landscapeId: string): boolean {
    return this.ids.has(landscapeId);
  }
}

const tagSpecifications = (
  type: ResourceType,
  tags: Ec2Tags | undefined
): TagSpecification[] | undefined =>
  tags === undefined || tags.length === 0
    ? undefined
    : [
        {
          ResourceType: type,
          Tags: tags.map(({ Key, Value }) => ({ Key, Value })),
        },
      ];

/** The landscape's resources of one VPC. */
const partOfVpc = (snapshot: Landscape, vpcId: string) => ({
  attributes: snapshot.VpcAttributes.find((a) => a.VpcId === vpcId),
  subnets: snapshot.Subnets.filter((s) => s.VpcId === vpcId),
  routeTables: snapshot.RouteTables.filter((t) => t.VpcId === vpcId),
  groups: snapshot.SecurityGroups.filter((g) => g.VpcId === vpcId),
  endpoints: snapshot.VpcEndpoints.filter((e) => e.VpcId === vpcId),
});

const isMain = (table: Landscape['RouteTables'][number]): boolean =>
  table.Associations.some((association) => association.Main);

/** What each step of creating one VPC works with. */
interface VpcWork {
  readonly ec2: EC2Client;
  readonly ids: IdMap;
  /** The VPC's id in the landscape, for error messages. */
  readonly landscapeVpcId: string;
  /** Its id in moto. */
  readonly vpcId: string;
  readonly part: ReturnType<typeof partOfVpc>;
}

type Route = Landscape['RouteTables'][number]['Routes'][number];
type RouteOf = {
  readonly table: Landscape['RouteTables'][number];
  readonly route: Route;
};

const createVpc = async (
  ec2: EC2Client,
  vpc: Landscape['Vpcs'][number],
  ids: IdMap
): Promise<string> =>
  ids.set(
    vpc.VpcId,
    (
      await ec2.send(
        new CreateVpcCommand({
          CidrBlock: vpc.CidrBlock,
          TagSpecifications: tagSpecifications('vpc', vpc.Tags),
        })
      )
    ).Vpc?.VpcId
  );

/** One ModifyVpcAttribute call per attribute: the API takes one at a time. */
const setDnsAttributes = async ({
  ec2,
  vpcId,
  part,
}: VpcWork): Promise<void> => {
  if (part.attributes === undefined) return;
  await ec2.send(
    new ModifyVpcAttributeCommand({
      VpcId: vpcId,
      EnableDnsSupport: part.attributes.EnableDnsSupport,
    })
  );
  await ec2.send(
    new ModifyVpcAttributeCommand({
      VpcId: vpcId,
      EnableDnsHostnames: part.attributes.EnableDnsHostnames,
    })
  );
};

const createSubnets = async ({
  ec2,
  ids,
  vpcId,
  part,
}: VpcWork): Promise<void> => {
  for (const subnet of part.subnets) {
    ids.set(
      subnet.SubnetId,
      (
        await ec2.send(
          new CreateSubnetCommand({
            VpcId: vpcId,
            CidrBlock: subnet.CidrBlock,
            AvailabilityZone: subnet.AvailabilityZone,
            TagSpecifications: tagSpecifications('subnet', subnet.Tags),
          })
        )
      ).Subnet?.SubnetId
    );
  }
};

/** Moto made the main table with the VPC: it is found and tagged, not created. */
const adoptMainTable = async (
  { ec2, ids, vpcId }: VpcWork,
  table: Landscape['RouteTables'][number]
): Promise<void> => {
  const mainId = ids.set(
    table.RouteTableId,
    (
      await ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: 'vpc-id', Values: [vpcId] },
            { Name: 'association.main', Values: ['true'] },
          ],
        })
      )
    ).RouteTables?.[0]?.RouteTableId
  );
  if (table.Tags !== undefined && table.Tags.length > 0) {
    await ec2.send(
      new CreateTagsCommand({ Resources: [mainId], Tags: table.Tags })
    );
  }
};

const createRouteTables = async (work: VpcWork): Promise<void> => {
  const { ec2, ids, vpcId, part } = work;
  for (const table of part.routeTables) {
    if (isMain(table)) {
      await adoptMainTable(work, table);
      continue;
    }
    ids.set(
      table.RouteTableId,
      (
        await ec2.send(
          new CreateRouteTableCommand({
            VpcId: vpcId,
            TagSpecifications: tagSpecifications('route-table', table.Tags),
          })
        )
      ).RouteTable?.RouteTableId
    );
  }
};

/** A subnet routed to an internet gateway, for the NAT gateways. */
const publicSubnetOf = ({ ids, landscapeVpcId, part }: VpcWork): string => {
  const publicTable = part.routeTables.find((table) =>
    table.Routes.some((route) => route.GatewayId?.startsWith('igw-'))
  );
  const subnetId =
    publicTable?.Associations.find((a) => a.SubnetId !== undefined)?.SubnetId ??
    part.subnets[0]?.SubnetId;
  if (subnetId === undefined) {
    throw new Error(`VPC ${landscapeVpcId} has no subnet for a NAT gateway`);
  }
  return ids.get(subnetId);
};

/** Internet gateways first, then NAT gateways in a subnet routed to one. */
const createGateways = async (
  work: VpcWork,
  routes: readonly RouteOf[]
): Promise<void> => {
  const { ec2, ids, vpcId } = work;
  for (const { route } of routes) {
    const igw = route.GatewayId;
    if (igw?.startsWith('igw-') && !ids.has(igw)) {
      const igwId = ids.set(
        igw,
        (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway
          ?.InternetGatewayId
      );
      await ec2.send(
        new AttachInternetGatewayCommand({
          InternetGatewayId: igwId,
          VpcId: vpcId,
        })
      );
    }
  }
  for (const { route } of routes) {
    const nat = route.NatGatewayId;
    if (nat !== undefined && !ids.has(nat)) {
      const allocation = await ec2.send(
        new AllocateAddressCommand({ Domain: 'vpc' })
      );
      ids.set(
        nat,
        (
          await ec2.send(
            new CreateNatGatewayCommand({
              SubnetId: publicSubnetOf(work),
              AllocationId: allocation.AllocationId,
            })
          )
        ).NatGateway?.NatGatewayId
      );
    }
  }
};

/**
 * Routes other than `local` and the gateway endpoints' own (moto adds
 * those), then the subnet associations.
 */
const createRoutesAndAssociations = async (
  { ec2, ids, part }: VpcWork,
  routes: readonly RouteOf[]
): Promise<void> => {
  for (const { table, route } of routes) {
    if (route.GatewayId === 'local' || route.GatewayId?.startsWith('vpce-')) {
      continue;
    }
    await ec2.send(
      new CreateRouteCommand({
        RouteTableId: ids.get(table.RouteTableId),
        DestinationCidrBlock: route.DestinationCidrBlock,
        GatewayId:
          route.GatewayId === undefined ? undefined : ids.get(route.GatewayId),
        NatGatewayId:
          route.NatGatewayId === undefined
            ? undefined
            : ids.get(route.NatGatewayId),
      })
    );
  }
  for (const table of part.routeTables) {
    for (const association of table.Associations) {
      if (association.SubnetId === undefined) continue;
      await ec2.send(
        new AssociateRouteTableCommand({
          RouteTableId: ids.get(table.RouteTableId),
          SubnetId: ids.get(association.SubnetId),
        })
      );
    }
  }
};

const createSecurityGroups = async ({
  ec2,
  ids,
  vpcId,
  part,
}: VpcWork): Promise<void> => {
  for (const group of part.groups) {
    const groupId = ids.set(
      group.GroupId,
      (
        await ec2.send(
          new CreateSecurityGroupCommand({
            VpcId: vpcId,
            GroupName: group.GroupName ?? group.GroupId,
            Description: group.GroupName ?? group.GroupId,
          })
        )
      ).GroupId
    );
    if (group.IpPermissions.length > 0) {
      await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: group.IpPermissions as IpPermission[],
        })
      );
    }
  }
};

/** Gateway endpoints on the tables that route to them; interface endpoints in their subnets and groups. */
const createEndpoints = async ({
  ec2,
  ids,
  vpcId,
  part,
}: VpcWork): Promise<void> => {
  for (const endpoint of part.endpoints) {
    const gateway = endpoint.VpcEndpointType === 'Gateway';
    const routeTableIds = part.routeTables
      .filter((table) =>
        table.Routes.some((route) => route.GatewayId === endpoint.VpcEndpointId)
      )
      .map((table) => ids.get(table.RouteTableId));
    ids.set(
      endpoint.VpcEndpointId,
      (
        await ec2.send(
          new CreateVpcEndpointCommand({
            VpcId: vpcId,
            VpcEndpointType: gateway ? 'Gateway' : 'Interface',
            ServiceName: endpoint.ServiceName,
            PolicyDocument: endpoint.PolicyDocument,
            ...(gateway
              ? { RouteTableIds: routeTableIds }
              : {
                  SubnetIds: (endpoint.SubnetIds ?? []).map((id) =>
                    ids.get(id)
                  ),
                  SecurityGroupIds: (endpoint.Groups ?? []).map((group) =>
                    ids.get(group.GroupId)
                  ),
                  PrivateDnsEnabled: endpoint.PrivateDnsEnabled,
                }),
            TagSpecifications: tagSpecifications('vpc-endpoint', endpoint.Tags),
          })
        )
      ).VpcEndpoint?.VpcEndpointId
    );
  }
};

/** Creates one VPC and everything in it; records the new ids in `ids`. */
const populateVpc = async (
  ec2: EC2Client,
  snapshot: Landscape,
  landscapeVpcId: string,
  ids: IdMap
): Promise<void> => {
  const vpc = snapshot.Vpcs.find((v) => v.VpcId === landscapeVpcId);
  if (vpc?.CidrBlock === undefined) {
    throw new Error(`VPC ${landscapeVpcId} has no CIDR block`);
  }
  const part = partOfVpc(snapshot, landscapeVpcId);
  const vpcId = await createVpc(ec2, vpc, ids);
  const work: VpcWork = { ec2, ids, landscapeVpcId, vpcId, part };
  await setDnsAttributes(work);
  await createSubnets(work);
  await createRouteTables(work);
  const routes = part.routeTables.flatMap((table) =>
    table.Routes.map((route) => ({ table, route }))
  );
  await createGateways(work, routes);
  await createRoutesAndAssociations(work, routes);
  await createSecurityGroups(work);
  await createEndpoints(work);
};

/**
 * Creates every VPC of `snapshot` in moto, one after the other. (Creating
 * several VPCs at once does not help: moto handles requests on threads of
 * one Python process, and M took 28.5 s serially and 26–30 s with 2, 4 or 8
 * VPCs in flight on the 2-core bench machine.)
 */
const populateMoto = async (
  ec2: EC2Client,
  snapshot: Landscape
): Promise<void> => {
  const ids = new IdMap();
  for (const vpc of snapshot.Vpcs) {
    await populateVpc(ec2, snapshot, vpc.VpcId, ids);
  }
};

export { populateMoto };
