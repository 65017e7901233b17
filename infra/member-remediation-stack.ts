import { DefaultStackSynthesizer, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { Rule } from '../rules/model/rule.js';
import { RemediationRunbooks } from './remediation.js';
import { standaloneTemplateOf } from './standalone-template.js';

/** What the member remediation template is built from. */
interface MemberRemediationStackProps extends StackProps {
  readonly rules: readonly Rule[];
  /** Reads a file of the repository (a rule's `remediation.yaml`) by its path. */
  readonly readRepoFile: (path: string) => string;
}

/**
 * The rules' SSM Automation documents (`VpceGuard-<RuleId>`) and the role
 * they run as, for one member account-Region, as a template for a
 * service-managed StackSet: in an organization, the resources a finding
 * names are in the member account, so that is where its remediation runs
 * and where its console link (functions/shared/formats/console-links.ts)
 * must resolve. Documents are Regional, so the StackSet deploys to every
 * organization Region; the role has a generated name, unique per Region.
 * No remediation configuration: organization rules appear in members
 * under generated names.
 */
class MemberRemediationStack extends Stack {
  public constructor(
    scope: Construct,
    id: string,
    props: MemberRemediationStackProps
  ) {
    super(scope, id, {
      ...props,
      // StackSet targets are not CDK-bootstrapped: no bootstrap-version rule.
      synthesizer: new DefaultStackSynthesizer({
        generateBootstrapVersionRule: false,
      }),
    });
    new RemediationRunbooks(this, 'Remediation', {
      rules: props.rules.map((rule) => ({ rule, configRule: undefined })),
      remediationConfiguration: false,
      staticParameters: {},
      readRepoFile: props.readRepoFile,
    });
  }
}

/** The id of the member remediation stack (`cdk deploy VpceGuardMemberRemediation`). */
const MEMBER_REMEDIATION_STACK_ID = 'VpceGuardMemberRemediation';

/**
 * The synthesized template of {@link MemberRemediationStack}, as JSON
 * text: exactly what `cdk synth VpceGuardMemberRemediation` writes.
 */
const memberRemediationTemplate = (
  props: MemberRemediationStackProps
): string =>
  standaloneTemplateOf(
    (app) => new MemberRemediationStack(app, MEMBER_REMEDIATION_STACK_ID, props)
  );

export type { MemberRemediationStackProps };
export {
  MEMBER_REMEDIATION_STACK_ID,
  MemberRemediationStack,
  memberRemediationTemplate,
};
