import { Aws, CfnCondition, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeNag } from './nag.js';
import type { DeploymentSettings } from './settings.js';

/** The StackSet's name: one per organization, created in one Region. */
const MEMBER_ROLE_STACK_SET_NAME = 'vpce-guard-member-role';

/** What the StackSet is built from. */
interface MemberRoleStackSetProps {
  readonly settings: DeploymentSettings;
  /** MemberRoleStack's synthesized template (member-role-stack.ts). */
  readonly templateBody: string;
}

/** Deploys every CloudFormation resource under `scopes` only under `condition`. */
const onlyWhen = (
  condition: CfnCondition,
  ...scopes: (IConstruct | undefined)[]
): void => {
  for (const scope of scopes) {
    for (const construct of scope?.node.findAll() ?? []) {
      if (construct instanceof CfnResource) {
        construct.cfnOptions.condition = condition;
      }
    }
  }
};

/**
 * The member role in every account of the organization (or of the OUs in
 * context `memberRoleOrganizationalUnitIds`), through a service-managed
 * StackSet with automatic deployment: an account that joins later gets
 * the role without anyone acting. The template is MemberRoleStack's,
 * trusting this stack's function roles (`CentralAccountId` is this
 * account). IAM is global, so the StackSet deploys to one Region
 * (`memberRoleRegion`), and only the stack deployed to the first of
 * `organizationRegions` creates it: the stacks of the other Regions would
 * otherwise each create a StackSet deploying the same named role.
 * StackSets never deploy to the management account itself (README,
 * "Organization").
 */
class MemberRoleStackSet extends Construct {
  /** The StackSet. */
  public readonly stackSet: CfnStackSet;

  public constructor(
    scope: Construct,
    id: string,
    props: MemberRoleStackSetProps
  ) {
    super(scope, id);
    const { settings } = props;
    // readSettings refuses an empty organizationRegions.
    const [homeRegion = settings.memberRoleRegion] =
      settings.organizationRegions;
    const inHomeRegion = new CfnCondition(this, 'InHomeRegion', {
      expression: Fn.conditionEquals(Aws.REGION, homeRegion),
    });
    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: MEMBER_ROLE_STACK_SET_NAME,
      description:
        'vpce-guard: the member role the organization rules assume in each account',
      permissionModel: 'SERVICE_MANAGED',
      callAs: settings.stackSetCallAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      operationPreferences: {
        // One account's failure (say, a role of that name already there)
        // must not hold up the others.
        concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
        regionConcurrencyType: 'PARALLEL',
      },
      parameters: [
        { parameterKey: 'CentralAccountId', parameterValue: Aws.ACCOUNT_ID },
      ],
      stackInstancesGroup: [
        {
          deploymentTargets: {
            organizationalUnitIds: this.targets(settings, inHomeRegion),
          },
          regions: [settings.memberRoleRegion],
        },
      ],
      templateBody: props.templateBody,
    });
    this.stackSet.cfnOptions.condition = inHomeRegion;
  }

  /**
   * The OUs from context, or else the organization's root, which only
   * AWS Organizations knows: looked up when the stack is deployed, so that
   * the synth stays offline and needs no context.
   */
  private targets(
    settings: DeploymentSettings,
    condition: CfnCondition
  ): string[] {
    if (settings.memberRoleOrganizationalUnitIds.length > 0) {
      return [...settings.memberRoleOrganizationalUnitIds];
    }
    const call = {
      service: 'Organizations',
      action: 'listRoots',
      physicalResourceId: PhysicalResourceId.of('organization-root'),
      // An organization has exactly one root.
      outputPaths: ['Roots.0.Id'],
    };
    const lookup = new AwsCustomResource(this, 'OrganizationRoot', {
      onCreate: call,
      onUpdate: call,
      installLatestAwsSdk: false,
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          actions: ['organizations:ListRoots'],
          // ListRoots supports no resource-level permissions.
          resources: ['*'],
        }),
      ]),
    });
    // AwsCustomResource's one provider function per stack: a
    // SingletonFunction named by its purpose ("AWS") and UUID.
    const provider = Stack.of(this).node.tryFindChild(
      `AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/gu, '')}`
    );
    onlyWhen(condition, lookup, provider);
    this.acknowledgeLookup(lookup, provider);
    return [lookup.getResponseField('Roots.0.Id')];
  }

  private acknowledgeLookup(
    lookup: AwsCustomResource,
    provider: IConstruct | undefined
  ): void {
    acknowledgeNag(
      lookup,
      'AwsSolutions-IAM5[Resource::*]',
      'organizations:ListRoots supports no resource-level permissions; the statement allows that one read-only call, made once when the stack is created or updated.'
    );
    if (provider === undefined) return;
    acknowledgeNag(
      provider,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'The CDK AwsCustomResource provider that looks up the organization root once at deployment; the managed policy only lets it write its own logs.'
    );
    acknowledgeNag(
      provider,
      'AwsSolutions-L1',
      'The CDK AwsCustomResource provider runs the Node runtime aws-cdk-lib pins for it; it makes one ListRoots call at deployment.'
    );
  }
}

export type { MemberRoleStackSetProps };
export { MEMBER_ROLE_STACK_SET_NAME, MemberRoleStackSet };
