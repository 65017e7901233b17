import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import {
  NodejsFunction,
  OutputFormat,
  SourceMapMode,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Rule } from '../rules/model/rule.js';
import {
  BUNDLE_SETTINGS,
  FUNCTION_NODE_OPTIONS,
  HANDLER_ENTRY,
} from './bundle-settings.js';
import { fitText } from './config-rules.js';
import { acknowledgeNag } from './nag.js';
import type { DeploymentSettings } from './settings.js';

/** The repository root: NodejsFunction bundles from it. */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Resolves the repository root whether this module runs from `infra/`
 * (tests, ts) or from `dist-infra/infra/` (the compiled CDK app).
 */
const repoRoot = (): string =>
  REPO_ROOT.endsWith('dist-infra') ? join(REPO_ROOT, '..') : REPO_ROOT;

/** What a {@link RuleFunction} is told. */
interface RuleFunctionProps {
  readonly rule: Rule;
  readonly settings: DeploymentSettings;
  /** A fixed role name, for roles other accounts' trust policies name. */
  readonly roleName?: string;
  /** Extra environment, e.g. the member role organization functions require. */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * One rule's Lambda function with what running it safely needs: its own
 * role (no managed policies; callers add exactly what the rule calls), a
 * log group with retention, an SQS on-failure destination for events that
 * still fail after Lambda's retries, and alarms on errors and on that queue.
 */
class RuleFunction extends Construct {
  /** The function Config invokes. */
  public readonly function: NodejsFunction;
  /** The function's execution role. */
  public readonly role: Role;
  /** Events that failed every attempt. */
  public readonly deadLetters: Queue;
  /** The function's log group, with retention. */
  public readonly logGroup: LogGroup;

  public constructor(scope: Construct, id: string, props: RuleFunctionProps) {
    super(scope, id);
    const { rule, settings } = props;
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `vpce-guard ${rule.metadata.id} function`,
    });
    const logGroup = new LogGroup(this, 'Logs', {
      retention: settings.logRetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.logGroup = logGroup;
    this.deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.function = new NodejsFunction(this, 'Function', {
      description: fitText(`vpce-guard: ${rule.metadata.title}`, 256),
      entry: join(repoRoot(), HANDLER_ENTRY),
      projectRoot: repoRoot(),
      depsLockFilePath: join(repoRoot(), 'package-lock.json'),
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // npm run bench: six handlers in one process peak at 362 MB on the M
      // landscape, and 1 GB is 0.58 vCPU; Lambda is under 1% of the bill
      // either way (README, "Lambda memory" under "Cost").
      memorySize: 1024,
      timeout: Duration.minutes(5),
      role: this.role,
      logGroup,
      environment: {
        RULE_ID: rule.metadata.id,
        LOG_LEVEL: settings.logLevel,
        // Unset, findings link to the rule's SSM document on the console.
        ...(settings.runbookBaseUrl === undefined
          ? {}
          : { RUNBOOK_BASE_URL: settings.runbookBaseUrl }),
        NODE_OPTIONS: FUNCTION_NODE_OPTIONS,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE_SETTINGS.target,
        minify: BUNDLE_SETTINGS.minify,
        keepNames: BUNDLE_SETTINGS.keepNames,
        mainFields: [...BUNDLE_SETTINGS.mainFields],
        banner: BUNDLE_SETTINGS.banner,
        externalModules: [...BUNDLE_SETTINGS.external],
        sourceMap: BUNDLE_SETTINGS.sourceMap,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: BUNDLE_SETTINGS.sourcesContent,
      },
      // Config invokes asynchronously: Lambda retries twice, then the event
      // lands in the queue instead of disappearing.
      retryAttempts: 2,
      onFailure: new SqsDestination(this.deadLetters),
    });
    logGroup.grantWrite(this.role);
    this.addAlarms();
    acknowledgeNag(
      this.function,
      'AwsSolutions-L1',
      'nodejs24.x is the runtime the project targets and the Node its tests run on (.ci/run); a runtime upgrade is a deliberate change, not a deploy-time default.'
    );
    acknowledgeNag(
      this.deadLetters,
      'AwsSolutions-SQS3',
      'This queue is the dead-letter (on-failure) destination of the function; a DLQ of a DLQ would only move the same messages.'
    );
  }

  private addAlarms(): void {
    new Alarm(this, 'Errors', {
      alarmDescription:
        'A vpce-guard evaluation failed; its evaluations were not updated.',
      metric: this.function.metricErrors({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    new Alarm(this, 'DeadLettersWaiting', {
      alarmDescription:
        'A Config event failed every retry and waits in the dead-letter queue.',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}

export type { RuleFunctionProps };
export { RuleFunction, repoRoot };
