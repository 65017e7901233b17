import { pascalCase } from './names.js';
import type { RunbookDocument } from './remediation.js';

/** TEMPORARY until infra/runbooks/index.ts lands. */
const documentFor = (ruleId: string): RunbookDocument | undefined => ({
  documentName: `VpceGuard-${pascalCase(ruleId)}`,
  path: 'cdk.json',
  resourceIdParameter: 'ResourceId',
  actions: ['ec2:DescribeVpcs'],
});

export { documentFor };
