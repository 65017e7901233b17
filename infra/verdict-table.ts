import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { VERDICT_TABLE_ACTIONS } from '../functions/shared/aws/aws-actions.js';
import { acknowledgeNag } from './nag.js';
import type { RuleFunction } from './rule-function.js';

/**
 * The table of last verdicts that lets every function of a stack send only
 * what changed (functions/shared/aws/verdict-table.ts): on-demand, keyed by
 * account/Region/rule (`rule`) and resource id (`resource`), items expiring
 * through the `expiresAt` TTL. It holds nothing that cannot be rebuilt: a
 * lost table costs one run that sends everything again.
 */
class VerdictTable extends Construct {
  /** The DynamoDB table. */
  public readonly table: Table;

  public constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'rule', type: AttributeType.STRING },
      sortKey: { name: 'resource', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledgeNag(
      this.table,
      'AwsSolutions-DDB3',
      'The table caches what Config and Security Hub already hold; losing it makes the next run of each rule send every evaluation again, which a backup would only save a day of evaluations of.'
    );
  }

  /**
   * Lets `ruleFunction` read and record verdicts in this table, and no
   * other, and tells it the table's name (`VERDICT_TABLE_NAME`).
   */
  public serve(ruleFunction: RuleFunction): void {
    ruleFunction.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'LastVerdicts',
        actions: [...VERDICT_TABLE_ACTIONS],
        resources: [this.table.tableArn],
      })
    );
    ruleFunction.function.addEnvironment(
      'VERDICT_TABLE_NAME',
      this.table.tableName
    );
  }
}

export { VerdictTable };
