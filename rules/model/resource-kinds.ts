/**
 * The kinds of resource a rule can report on. Everything that depends on
 * the kind (the AWS Config resource type, the ARN, the Security Hub finding
 * type and details in functions/shared/formats/asff.ts, the HTML report's
 * sections in cli/report/html.ts) switches over {@link ResourceKind}
 * exhaustively, so a kind added here without its handling there fails to
 * compile instead of failing silently.
 */

/** A resource kind: what a rule's evaluations are about. */
type ResourceKind = 'vpc' | 'subnet' | 'vpc-endpoint';

/** What the rest of the project needs to know of a kind. */
interface ResourceKindFacts {
  /** The AWS Config resource type evaluations are reported as. */
  readonly configType: ResourceType;
  /** The resource part of its ARN, `arn:<partition>:ec2:<region>:<account>:<arnType>/<id>`. */
  readonly arnType: string;
  /** In sentences and headings: `subnet`, `VPC endpoint`. */
  readonly name: string;
  /** Plural of {@link ResourceKindFacts.name}. */
  readonly plural: string;
}

/** The AWS Config resource types vpce-guard reports on. */
type ResourceType =
  | 'AWS::EC2::VPC'
  | 'AWS::EC2::Subnet'
  | 'AWS::EC2::VPCEndpoint';

/** Every kind, in the order reports show them (a VPC, then what is in it). */
const RESOURCE_KINDS: Readonly<Record<ResourceKind, ResourceKindFacts>> = {
  vpc: {
    configType: 'AWS::EC2::VPC',
    arnType: 'vpc',
    name: 'VPC',
    plural: 'VPCs',
  },
  subnet: {
    configType: 'AWS::EC2::Subnet',
    arnType: 'subnet',
    name: 'subnet',
    plural: 'subnets',
  },
  'vpc-endpoint': {
    configType: 'AWS::EC2::VPCEndpoint',
    arnType: 'vpc-endpoint',
    name: 'VPC endpoint',
    plural: 'VPC endpoints',
  },
};

/** The kinds in report order. */
const RESOURCE_KIND_ORDER: readonly ResourceKind[] = [
  'vpc',
  'subnet',
  'vpc-endpoint',
];

/**
 * For the `default` branch of an exhaustive switch over a union: compiles
 * only when every member is handled.
 *
 * @throws Error always, for a value the types say cannot exist
 */
const unhandledKind = (kind: never): never => {
  throw new Error(`unhandled resource kind ${JSON.stringify(kind)}`);
};

export type { ResourceKind, ResourceKindFacts, ResourceType };
export { RESOURCE_KIND_ORDER, RESOURCE_KINDS, unhandledKind };
