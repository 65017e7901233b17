import type { OperationsModel } from './ssm-document.js';

/** A fenced code block of a Markdown document. */
interface CodeBlock {
  readonly language: string;
  readonly text: string;
}

const FENCE = /^```(\S*)\s*$/;

/**
 * Splits Markdown into its prose lines and its fenced code blocks, so that
 * a `# comment` in a shell block is not taken for a heading.
 */
const splitMarkdown = (
  markdown: string
): { readonly prose: string[]; readonly blocks: CodeBlock[] } => {
  const prose: string[] = [];
  const blocks: CodeBlock[] = [];
  let open: { language: string; lines: string[] } | undefined;
  for (const line of markdown.split('\n')) {
    const fence = FENCE.exec(line);
    if (open && line.startsWith('```')) {
      blocks.push({ language: open.language, text: open.lines.join('\n') });
      open = undefined;
    } else if (open) {
      open.lines.push(line);
    } else if (fence) {
      open = { language: fence[1] ?? '', lines: [] };
    } else {
      prose.push(line);
    }
  }
  return { prose, blocks };
};

/** The headings (`## …`), in order, outside code blocks. */
const headingsOf = (markdown: string): string[] =>
  splitMarkdown(markdown)
    .prose.filter((line) => /^#{1,6} /.test(line))
    .map((line) => line.trim());

/** The fenced code blocks. */
const codeBlocksOf = (markdown: string): CodeBlock[] =>
  splitMarkdown(markdown).blocks;

const SHELL = new Set(['bash', 'sh', 'shell']);

/** The logical lines of the shell blocks, `\` continuations joined. */
const shellLinesOf = (markdown: string): string[] =>
  codeBlocksOf(markdown)
    .filter((block) => SHELL.has(block.language))
    .flatMap((block) => block.text.replace(/\s*\\\n\s*/g, ' ').split('\n'));

/**
 * The text of the command starting at `start`, up to an unmatched `)`, a
 * pipe, `;` or a redirection outside quotes, without nested `$( … )`
 * substitutions (they are commands of their own).
 */
const commandAt = (line: string, start: number): string => {
  let depth = 0;
  let quote: string | undefined;
  let text = '';
  for (let i = start; i < line.length; i += 1) {
    const c = line[i] as string;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '$' && line[i + 1] === '(') {
      depth += 1;
      i += 1;
      continue;
    } else if (c === ')') {
      if (depth === 0) break;
      depth -= 1;
      continue;
    } else if (depth === 0 && (c === '|' || c === ';' || c === '>')) {
      break;
    }
    if (depth === 0) text += c;
  }
  return text.trim();
};

/** Where commands named `program` start in a line, outside quotes. */
const commandStarts = (line: string, program: string): number[] => {
  const starts: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] as string;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (
      line.startsWith(`${program} `, i) &&
      (i === 0 || /[\s(]/.test(line[i - 1] as string))
    ) {
      starts.push(i);
    }
  }
  return starts;
};

/** Every command of `program` (`aws`, `npx`) in the shell blocks. */
const commandsOf = (markdown: string, program: string): string[] =>
  shellLinesOf(markdown).flatMap((line) =>
    commandStarts(line, program).map((start) => commandAt(line, start))
  );

/** An `aws <service> <operation> --option …` command, parsed. */
interface AwsCommand {
  readonly service: string;
  readonly operation: string;
  readonly options: readonly string[];
}

/** Parses an `aws` command; quoted values are not options. */
const parseAwsCommand = (command: string): AwsCommand => {
  const words = command
    .replace(/'[^']*'|"[^"]*"/g, 'VALUE')
    .split(/\s+/)
    .filter((word) => word !== '');
  return {
    service: words[1] ?? '',
    operation: words[2] ?? '',
    options: words
      .slice(3)
      .filter((word) => word.startsWith('--'))
      .map((word) => word.slice(2).split('=')[0] ?? ''),
  };
};

/** Options every AWS CLI command takes. */
const GLOBAL_OPTIONS = new Set([
  'query',
  'output',
  'region',
  'profile',
  'endpoint-url',
  'no-paginate',
  'debug',
  'cli-input-json',
  'generate-cli-skeleton',
]);

/**
 * The operation a CLI command names: `describe-vpc-endpoints` is
 * `DescribeVpcEndpoints`, `list-hosted-zones-by-vpc` is
 * `ListHostedZonesByVPC` (the CLI lower-cases, so compare that way).
 */
const operationNamed = (
  model: OperationsModel,
  kebab: string
): string | undefined => {
  const wanted = kebab.replace(/-/g, '');
  return Object.keys(model.operations).find(
    (name) => name.toLowerCase() === wanted
  );
};

/**
 * Checks an `aws` command against the botocore model of its service: the
 * operation exists and every option is a parameter of it (or a global
 * option); `--no-x` is the negation of the boolean `--x`.
 *
 * @param models - botocore models by CLI service name (`configservice`)
 */
const validateAwsCommand = (
  models: Readonly<Record<string, OperationsModel>>,
  command: string
): string[] => {
  const { service, operation, options } = parseAwsCommand(command);
  const model = models[service];
  if (!model) return [`${command}: no model for service ${service}`];
  const name = operationNamed(model, operation);
  if (name === undefined) {
    return [`${command}: ${service} has no operation ${operation}`];
  }
  const input = model.operations[name]?.input?.shape;
  const members = Object.keys(
    (input === undefined ? undefined : model.shapes[input]?.members) ?? {}
  ).map((member) => member.toLowerCase());
  return options
    .filter((option) => !GLOBAL_OPTIONS.has(option))
    .map((option) => option.replace(/^no-/, '').replace(/-/g, ''))
    .filter((option) => !members.includes(option))
    .map((option) => `${command}: ${name} has no parameter for --${option}`);
};

export type { AwsCommand, CodeBlock };
export {
  codeBlocksOf,
  commandsOf,
  headingsOf,
  parseAwsCommand,
  validateAwsCommand,
};
