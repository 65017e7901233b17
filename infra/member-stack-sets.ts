import { Aws, CfnCondition, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import { CfnStackSet } from 'aws-cdk-lib/aws-cloudformation';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import {
  AwsCustomResource,
  AwsCustomResourcePolicy,
  PhysicalResourceId,
} from 'aws-cdk-lib/custom-resources';
import { Construct, type IConstruct } from 'constructs';
import { acknowledgeNag } from './nag.js';
import type { DeploymentSettings } from './settings.js';

/** The member-role StackSet's name: one per organization, created in one Region. */
const MEMBER_ROLE_STACK_SET_NAME = 'vpce-guard-member-role';

/** The remediation StackSet's name: one per organization, created in one Region. */
const MEMBER_REMEDIATION_STACK_SET_NAME = 'vpce-guard-remediation';

/** What the StackSets are built from. */
interface MemberStackSetsProps {
  readonly settings: DeploymentSettings;
  /**
   * MemberRoleStack's synthesized template (member-role-stack.ts), or
   * undefined for no member-role StackSet.
   */
  readonly memberRoleTemplateBody?: string | undefined;
  /**
   * The file of MemberRemediationStack's synthesized template
   * (member-remediation-stack.ts), or undefined for no remediation
   * StackSet. Too large for a `TemplateBody`, it is uploaded as a file
   * asset and given as `TemplateURL`.
   */
  readonly memberRemediationTemplateFile?: string | undefined;
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

/** How each StackSet rolls out: one account's failure holds up no other. */
const OPERATION_PREFERENCES: CfnStackSet.OperationPreferencesProperty = {
  // One account's failure (say, a role of that name already there)
  // must not hold up the others.
  concurrencyMode: 'SOFT_FAILURE_TOLERANCE',
  maxConcurrentPercentage: 25,
  failureTolerancePercentage: 10,
  regionConcurrencyType: 'PARALLEL',
};

/**
 * vpce-guard's parts in every account of the organization (or of the OUs
 * in context `memberRoleOrganizationalUnitIds`), through service-managed
 * StackSets with automatic deployment: an account that joins later gets
 * them without anyone acting.
 *
 * - `vpce-guard-member-role`: MemberRoleStack's template, trusting this
 *   stack's function roles (`CentralAccountId` is this account). IAM is
 *   global, so it deploys to one Region (`memberRoleRegion`).
 * - `vpce-guard-remediation`: MemberRemediationStack's template, the SSM
 *   documents and their role, in every organization Region.
 *
 * Only the stack deployed to the first of `organizationRegions` creates
 * them: the stacks of the other Regions would otherwise each create the
 * same StackSets. StackSets never deploy to the management account itself
 * (README, "Organization").
 */
class MemberStackSets extends Construct {
  /** The member-role StackSet, when the context asks for it. */
  public readonly memberRole: CfnStackSet | undefined;
  /** The remediation StackSet, when the context asks for it. */
  public readonly remediation: CfnStackSet | undefined;

  public constructor(
    scope: Construct,
    id: string,
    props: MemberStackSetsProps
  ) {
    super(scope, id);
    const { settings } = props;
    // readSettings refuses an empty organizationRegions.
    const [homeRegion = settings.memberRoleRegion] =
      settings.organizationRegions;
    const inHomeRegion = new CfnCondition(this, 'InHomeRegion', {
      expression: Fn.conditionEquals(Aws.REGION, homeRegion),
    });
    const targets = this.targets(settings, inHomeRegion);
    const common = {
      permissionModel: 'SERVICE_MANAGED',
      callAs: settings.stackSetCallAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      operationPreferences: OPERATION_PREFERENCES,
    };
    if (props.memberRoleTemplateBody !== undefined) {
      this.memberRole = new CfnStackSet(this, 'StackSet', {
        ...common,
        stackSetName: MEMBER_ROLE_STACK_SET_NAME,
        description:
          'vpce-guard: the member role the organization rules assume in each account',
        capabilities: ['CAPABILITY_NAMED_IAM'],
        parameters: [
          { parameterKey: 'CentralAccountId', parameterValue: Aws.ACCOUNT_ID },
        ],
        stackInstancesGroup: [
          {
            deploymentTargets: { organizationalUnitIds: targets },
            regions: [settings.memberRoleRegion],
          },
        ],
        templateBody: props.memberRoleTemplateBody,
      });
      this.memberRole.cfnOptions.condition = inHomeRegion;
    }
    if (props.memberRemediationTemplateFile !== undefined) {
      const template = new Asset(this, 'RemediationTemplate', {
        path: props.memberRemediationTemplateFile,
      });
      this.remediation = new CfnStackSet(this, 'RemediationStackSet', {
        ...common,
        stackSetName: MEMBER_REMEDIATION_STACK_SET_NAME,
        description:
          'vpce-guard: the SSM Automation documents that fix what the rules find, in each account and Region',
        capabilities: ['CAPABILITY_IAM'],
        stackInstancesGroup: [
          {
            deploymentTargets: { organizationalUnitIds: targets },
            regions: [...settings.organizationRegions],
          },
        ],
        templateUrl: template.httpUrl,
        // An account-Region that already has documents of these names (it
        // runs VpceGuardAccount) fails its instance; that must not stop the
        // rollout, nor roll back this stack (a StackSet operation fails
        // once its failures pass the tolerance, which rounds down).
        operationPreferences: {
          ...OPERATION_PREFERENCES,
          failureTolerancePercentage: 100,
        },
      });
      this.remediation.cfnOptions.condition = inHomeRegion;
    }
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

export type { MemberStackSetsProps };
export {
  MEMBER_REMEDIATION_STACK_SET_NAME,
  MEMBER_ROLE_STACK_SET_NAME,
  MemberStackSets,
};
