import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The IAM prefix of each SDK client package the functions use. */
const IAM_PREFIX: Readonly<Record<string, string>> = {
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-config-service': 'config',
  '@aws-sdk/client-organizations': 'organizations',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-route-53': 'route53',
  '@aws-sdk/client-securityhub': 'securityhub',
  '@aws-sdk/client-sts': 'sts',
};

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

const IMPORT = /import\s*\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[\w-]+)'/gu;

/**
 * The IAM action of an imported SDK name: `FooCommand` and `paginateFoo`
 * both send `Foo`; type-only imports send nothing.
 */
const actionOf = (prefix: string, imported: string): string | undefined => {
  const name = imported.trim();
  if (name === '' || name.startsWith('type ')) return undefined;
  const command = /^(\w+)Command$/u.exec(name)?.[1];
  const paginated = /^paginate(\w+)$/u.exec(name)?.[1];
  const operation = command ?? paginated;
  return operation === undefined ? undefined : `${prefix}:${operation}`;
};

/**
 * Every IAM action the code under `dir` can call, read from the SDK
 * commands and paginators it imports (so it cannot drift from the code).
 */
const actionsCalledUnder = (dir: string): string[] => {
  const actions = new Set<string>();
  for (const file of sourceFiles(dir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const prefix = IAM_PREFIX[match[2] ?? ''];
      if (prefix === undefined) {
        throw new Error(`${file}: no IAM prefix known for ${match[2]}`);
      }
      for (const imported of (match[1] ?? '').split(',')) {
        const action = actionOf(prefix, imported);
        if (action) actions.add(action);
      }
    }
  }
  return [...actions].sort();
};

export { actionsCalledUnder };
