import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  automationDocumentOf,
  type AutomationDocument as DocumentEntry,
  documentActionsOf,
  documentNameOf,
  RESOURCE_ID_PARAMETER,
  scriptActionsOf,
} from '../../../infra/automation-documents.js';
import { ruleFilePath } from '../../../rules/files.js';
import { rules } from '../../../rules/index.js';
import { analyzeEndpointPolicy } from '../../../rules/model/endpoint-policy.js';
import type { Rule } from '../../../rules/model/rule.js';
import { loadBotocoreModel } from '../../helpers/api-model.js';
import {
  commandsOf,
  headingsOf,
  validateAwsCommand,
} from '../../helpers/runbook-markdown.js';
import {
  type AutomationDocument,
  isDefinedVariable,
  isMutatingStep,
  jumpTargets,
  loadDocument,
  type OperationsModel,
  reachableSteps,
  runScriptStep,
  stepOutputs,
  validateApiStep,
  variableReferences,
} from '../../helpers/ssm-document.js';

const ruleTable = rules.map((rule) => [rule.metadata.id, rule] as const);

/** The rule's document entry, from its folder and metadata. */
const entryOf = (ruleId: string): DocumentEntry => {
  const rule = rules.find((r) => r.metadata.id === ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return automationDocumentOf(rule);
};

const documentTable = ruleTable.map(
  ([id]) => [id, loadDocument(entryOf(id).path)] as const
);

const markdownOf = (rule: Rule): string =>
  readFileSync(ruleFilePath(rule.metadata.id, 'runbook'), 'utf8');

const defaultOf = (rule: Rule, name: string): unknown =>
  rule.metadata.parameters.find((p) => p.name === name)?.defaultValue;

// The services whose commands the runbooks give, by CLI name.
const model = (service: string, version: string): OperationsModel =>
  loadBotocoreModel(service, version) as OperationsModel;
const cliModels: Readonly<Record<string, OperationsModel>> = {
  ec2: model('ec2', '2016-11-15'),
  ssm: model('ssm', '2014-11-06'),
  configservice: model('config', '2014-11-12'),
  organizations: model('organizations', '2016-11-28'),
  route53: model('route53', '2013-04-01'),
};

/** The sections a person looks for at 3 a.m., in this order. */
const REQUIRED_HEADINGS = [
  '## What the finding means',
  '## Confirm it',
  '## Fix it',
  '### Console',
  '### AWS CLI',
  '### SSM Automation',
  '### CDK (TypeScript)',
  '### CloudFormation',
  '### Terraform',
  '## Verify the fix',
  '## When an exemption is legitimate',
];

describe('runbook markdown', () => {
  it.each(ruleTable)('%s has a runbook in its folder', (id) => {
    // Arrange
    const path = ruleFilePath(id, 'runbook');

    // Act
    const found = existsSync(path);

    // Assert
    expect(path).toBe(`rules/${id}/runbook.md`);
    expect(found).toBe(true);
  });

  it.each(ruleTable)(
    '%s runbook has every required section, in order',
    (_id, rule) => {
      // Arrange
      const headings = headingsOf(markdownOf(rule));

      // Act
      const positions = REQUIRED_HEADINGS.map((h) => headings.indexOf(h));

      // Assert
      expect(positions).not.toContain(-1);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
  );

  it.each(ruleTable)(
    '%s runbook names the exemptTagKey parameter and its default',
    (_id, rule) => {
      // Arrange
      const markdown = markdownOf(rule);

      // Act
      const tagKey = defaultOf(rule, 'exemptTagKey');

      // Assert
      expect(tagKey).toBe('vpce-guard:exempt');
      expect(markdown).toContain('`exemptTagKey`');
      expect(markdown).toContain(`\`${String(tagKey)}\``);
      expect(markdown).toContain(`"Key":"${String(tagKey)}"`);
    }
  );

  it.each(ruleTable)(
    '%s runbook starts its SSM document in dry-run, then for real',
    (id, rule) => {
      // Arrange
      const starts = commandsOf(markdownOf(rule), 'aws').filter((c) =>
        c.startsWith('aws ssm start-automation-execution')
      );

      // Act
      const named = starts.filter((c) =>
        c.includes(`--document-name ${documentNameOf(id)}`)
      );

      // Assert
      expect(named.every((c) => c.includes('AutomationAssumeRole='))).toBe(
        true
      );
      expect(named.some((c) => c.includes('DryRun=true'))).toBe(true);
      expect(named.some((c) => c.includes('DryRun=false'))).toBe(true);
      expect(named).toHaveLength(starts.length);
    }
  );

  it.each(ruleTable)(
    '%s runbook re-runs its Config rule and scans with the command line',
    (id, rule) => {
      // Arrange
      const markdown = markdownOf(rule);

      // Act
      const aws = commandsOf(markdown, 'aws');
      const npx = commandsOf(markdown, 'npx');

      // Assert
      expect(aws).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^aws configservice start-config-rules-evaluation --config-rule-names vpce-guard-${id}$`
          )
        )
      );
      expect(npx).toContainEqual(
        expect.stringMatching(
          new RegExp(`^npx vpce-guard scan --region \\S+ --rules ${id}$`)
        )
      );
    }
  );

  it.each(ruleTable)(
    '%s runbook gives only AWS CLI commands the service models accept',
    (_id, rule) => {
      // Arrange
      const commands = commandsOf(markdownOf(rule), 'aws');

      // Act
      const problems = commands.flatMap((c) =>
        validateAwsCommand(cliModels, c)
      );

      // Assert
      expect(commands.length).toBeGreaterThan(10);
      expect(problems).toEqual([]);
    }
  );
});

const ec2Model = cliModels.ec2 as OperationsModel;

const AUTOMATION_TYPES = new Set([
  'String',
  'StringList',
  'Integer',
  'Boolean',
  'MapList',
  'StringMap',
]);

/** Whether a default fits its declared Automation parameter type. */
const fitsType = (type: unknown, value: unknown): boolean => {
  switch (type) {
    case 'String':
      return typeof value === 'string';
    case 'StringList':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'Integer':
      return Number.isInteger(value);
    case 'Boolean':
      return typeof value === 'boolean';
    default:
      return value !== undefined;
  }
};

/** Example ids of each resource type the rules report. */
const EXAMPLE_IDS: Readonly<Record<string, string>> = {
  'AWS::EC2::VPC': 'vpc-0123456789abcdef0',
  'AWS::EC2::Subnet': 'subnet-0123456789abcdef0',
  'AWS::EC2::VPCEndpoint': 'vpce-0123456789abcdef0',
};

describe('SSM documents', () => {
  it('has a rule folder for every registered rule, and no folder without a rule', () => {
    // Arrange
    const ruleIds = rules.map((rule) => rule.metadata.id).sort();

    // Act
    const folders = readdirSync('rules', { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'model')
      .map((entry) => entry.name)
      .sort();

    // Assert
    expect(folders).toEqual(ruleIds);
  });

  it.each(ruleTable)(
    '%s entry names the document, its YAML and its resource-id parameter',
    (id) => {
      // Arrange
      const pascal = id
        .split('-')
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join('');

      // Act
      const entry = entryOf(id);

      // Assert
      expect(entry.documentName).toBe(`VpceGuard-${pascal}`);
      expect(entry.path).toBe(`rules/${id}/remediation.yaml`);
      expect(entry.resourceIdParameter).toBe(RESOURCE_ID_PARAMETER);
      expect(existsSync(entry.path)).toBe(true);
    }
  );

  it.each(documentTable)(
    '%s parses as an Automation document of schema 0.3',
    (id, document) => {
      // Arrange
      const description = String(
        (document as unknown as Record<string, unknown>).description
      );

      // Act
      const { schemaVersion, assumeRole, mainSteps } = document;

      // Assert
      expect(schemaVersion).toBe('0.3');
      expect(assumeRole).toBe('{{ AutomationAssumeRole }}');
      expect(mainSteps.length).toBeGreaterThan(0);
      expect(description).toContain(`# ${documentNameOf(id)}`);
      expect(description).toContain(`rules/${id}/runbook.md`);
    }
  );

  it.each(documentTable)(
    '%s takes AutomationAssumeRole, its resource id and a Boolean DryRun defaulting to true',
    (_id, document) => {
      // Arrange
      const { parameters } = document;
      const rolePattern = new RegExp(
        String(parameters.AutomationAssumeRole?.allowedPattern)
      );

      // Act
      const dryRun = parameters.DryRun;

      // Assert
      expect(dryRun).toMatchObject({ type: 'Boolean', default: true });
      // Required: scripts that call AWS run without permissions otherwise.
      expect(parameters.AutomationAssumeRole).toMatchObject({ type: 'String' });
      expect(parameters.AutomationAssumeRole).not.toHaveProperty('default');
      expect(rolePattern.test('arn:aws:iam::111122223333:role/Remediate')).toBe(
        true
      );
      expect(
        rolePattern.test('arn:aws-cn:iam::111122223333:role/path/Remediate')
      ).toBe(true);
      expect(rolePattern.test('')).toBe(false);
      expect(parameters[RESOURCE_ID_PARAMETER]).toMatchObject({
        type: 'String',
      });
      expect(parameters[RESOURCE_ID_PARAMETER]).not.toHaveProperty('default');
    }
  );

  it.each(ruleTable)(
    '%s resource-id parameter accepts the ids of the rule’s resource type only',
    (id, rule) => {
      // Arrange
      const pattern = new RegExp(
        String(
          loadDocument(entryOf(id).path).parameters[RESOURCE_ID_PARAMETER]
            ?.allowedPattern
        )
      );

      // Act
      const verdicts = Object.entries(EXAMPLE_IDS).map(([type, example]) => [
        type,
        pattern.test(example),
      ]);

      // Assert
      expect(Object.fromEntries(verdicts)).toEqual(
        Object.fromEntries(
          Object.keys(EXAMPLE_IDS).map((t) => [
            t,
            t === rule.metadata.resourceType,
          ])
        )
      );
    }
  );

  it.each(documentTable)(
    '%s parameters have Automation types and defaults that fit them',
    (_id, document) => {
      // Arrange
      const parameters = Object.entries(document.parameters);

      // Act
      const misfits = parameters.filter(
        ([, spec]) =>
          !AUTOMATION_TYPES.has(String(spec.type)) ||
          (spec.default !== undefined && !fitsType(spec.type, spec.default)) ||
          (typeof spec.allowedPattern === 'string' &&
            typeof spec.default === 'string' &&
            !new RegExp(spec.allowedPattern).test(spec.default))
      );

      // Assert
      expect(misfits).toEqual([]);
    }
  );

  it.each(documentTable)(
    '%s declares exactly the actions its API steps and scripts call',
    (id, document) => {
      // Arrange
      const declared = entryOf(id).actions;

      // Act
      const called = documentActionsOf(document);

      // Assert
      expect([...declared]).toEqual(called);
    }
  );

  it.each(documentTable)(
    '%s API steps are calls the EC2 API model accepts',
    (_id, document) => {
      // Arrange
      const apiSteps = document.mainSteps.filter(
        (step) => typeof step.inputs?.Api === 'string'
      );

      // Act
      const problems = apiSteps.flatMap((step) =>
        validateApiStep(ec2Model, step)
      );

      // Assert
      expect(apiSteps.every((step) => step.inputs?.Service === 'ec2')).toBe(
        true
      );
      expect(problems).toEqual([]);
    }
  );

  it.each(documentTable)(
    '%s scripts call only EC2 operations that exist, on python3.11',
    (_id, document) => {
      // Arrange
      const scripts = document.mainSteps.filter(
        (step) => step.action === 'aws:executeScript'
      );

      // Act
      const unknown = scriptActionsOf(document).filter(
        (action) =>
          !action.startsWith('ec2:') ||
          ec2Model.operations[action.slice('ec2:'.length)] === undefined
      );

      // Assert
      expect(unknown).toEqual([]);
      for (const step of scripts) {
        expect(step.inputs).toMatchObject({
          Runtime: 'python3.11',
          Handler: 'handler',
        });
      }
    }
  );

  it.each(documentTable)(
    '%s steps have unique names and jump only to steps that exist',
    (_id, document) => {
      // Arrange
      const names = document.mainSteps.map((step) => step.name);

      // Act
      const dangling = jumpTargets(document).filter((t) => !names.includes(t));

      // Assert
      expect(new Set(names).size).toBe(names.length);
      expect(names.every((n) => /^[A-Za-z0-9_]+$/.test(n))).toBe(true);
      expect(dangling).toEqual([]);
    }
  );

  it.each(documentTable)(
    '%s refers only to its parameters, system variables and step outputs',
    (_id, document) => {
      // Arrange
      const outputs = stepOutputs(document);

      // Act
      const undefinedReferences = variableReferences(document).filter(
        (name) => !isDefinedVariable(document, name)
      );

      // Assert
      expect(undefinedReferences).toEqual([]);
      expect((document.outputs ?? []).filter((o) => !outputs.has(o))).toEqual(
        []
      );
    }
  );

  it.each(documentTable)(
    '%s changes nothing when DryRun is true',
    (_id, document) => {
      // Arrange
      const mutating = document.mainSteps.filter(isMutatingStep);

      // Act
      const reachable = reachableSteps(document, true);

      // Assert
      expect(mutating.length).toBeGreaterThan(0);
      expect(mutating.filter((step) => reachable.has(step.name))).toEqual([]);
    }
  );

  it.each(documentTable)(
    '%s reaches every step when DryRun is false',
    (_id, document) => {
      // Arrange
      const names = document.mainSteps.map((step) => step.name);

      // Act
      const reachable = reachableSteps(document, false);

      // Assert
      expect(names.filter((name) => !reachable.has(name))).toEqual([]);
    }
  );
});

const policyDocument = loadDocument(
  entryOf('endpoint-policy-restrictive').path
) as AutomationDocument;

/** The policy the document would write, from its render step. */
const renderPolicy = (events: Readonly<Record<string, unknown>>): unknown => {
  const result = runScriptStep(policyDocument, 'RenderPolicy', {
    OwnerId: '111122223333',
    Region: 'us-east-1',
    Partition: 'aws',
    OrganizationId: '',
    AccountIds: [],
    RestrictResources: true,
    AllowAwsOwnedS3Reads: true,
    ...events,
  }) as { PolicyDocument: string };
  return JSON.parse(result.PolicyDocument) as unknown;
};

const S3 = 'com.amazonaws.us-east-1.s3';
const SQS = 'com.amazonaws.us-east-1.sqs';
const ORG = 'o-a1b2c3d4e5';
const PARTNER = '444455556666';

describe('the policy VpceGuard-EndpointPolicyRestrictive writes', () => {
  it.each([
    [
      'an S3 org perimeter, no trusted set',
      { ServiceName: S3, OrganizationId: ORG },
      { orgIds: [], accountIds: [] },
    ],
    [
      'an SQS org perimeter, the org trusted',
      { ServiceName: SQS, OrganizationId: ORG },
      { orgIds: [ORG], accountIds: [] },
    ],
    [
      'an S3 org perimeter without AWS-owned buckets, the org trusted',
      { ServiceName: S3, OrganizationId: ORG, AllowAwsOwnedS3Reads: false },
      { orgIds: [ORG], accountIds: [] },
    ],
    [
      'an SQS principal-only perimeter, the org trusted',
      { ServiceName: SQS, OrganizationId: ORG, RestrictResources: false },
      { orgIds: [ORG], accountIds: [] },
    ],
    [
      'an SQS account perimeter, the accounts trusted',
      { ServiceName: SQS, AccountIds: [PARTNER] },
      { orgIds: [], accountIds: [PARTNER] },
    ],
    [
      'an S3 org and account perimeter, both trusted',
      {
        ServiceName: S3,
        OrganizationId: ORG,
        AccountIds: [PARTNER],
        AllowAwsOwnedS3Reads: false,
      },
      { orgIds: [ORG], accountIds: [PARTNER] },
    ],
  ])('passes the rule for %s', (_name, events, trusted) => {
    // Arrange
    const policy = renderPolicy(events);

    // Act
    const verdict = analyzeEndpointPolicy(policy, {
      endpointAccountId: '111122223333',
      trusted,
    });

    // Assert
    expect(verdict).toMatchObject({ restrictive: true });
  });

  it('is reported under a trusted set only for the AWS-owned S3 statement', () => {
    // Arrange
    const policy = renderPolicy({ ServiceName: S3, OrganizationId: ORG });

    // Act
    const verdict = analyzeEndpointPolicy(policy, {
      endpointAccountId: '111122223333',
      trusted: { orgIds: [ORG], accountIds: [] },
    });

    // Assert
    expect(verdict.restrictive).toBe(false);
    expect(verdict.reason).toMatch(/^AllowReadsOfAwsOwnedS3 /);
  });

  it('names the AWS-owned buckets of the Region and partition', () => {
    // Arrange
    const events = {
      ServiceName: 'cn.com.amazonaws.cn-north-1.s3',
      OrganizationId: ORG,
      Region: 'cn-north-1',
      Partition: 'aws-cn',
    };

    // Act
    const policy = JSON.stringify(renderPolicy(events));

    // Assert
    expect(policy).toContain(
      'arn:aws-cn:s3:::prod-cn-north-1-starport-layer-bucket/*'
    );
    expect(policy).not.toContain('us-east-1');
  });

  it('refuses to write a policy that names no organization or account', () => {
    // Arrange
    const events = { ServiceName: SQS };

    // Act
    const render = () => renderPolicy(events);

    // Assert
    expect(render).toThrow(/give OrganizationId, AccountIds or both/);
  });
});
