import { rules } from '../../rules/index.js';
import { type AwsSource, loadLiveAccountRegion } from '../aws.js';
import { type CliIo, ExitCode } from '../io.js';
import { writeReport } from '../output.js';

/** Options of `vpce-guard snapshot`. */
interface SnapshotOptions {
  readonly region: readonly string[];
  readonly profile?: string;
  readonly roleArn?: string;
  readonly output?: string;
}

/**
 * `vpce-guard snapshot --region R…`: writes a snapshot file (README
 * "Snapshot format") from a live account: one account-region object, or an
 * array for several Regions.
 */
const snapshot = async (
  options: SnapshotOptions,
  io: CliIo
): Promise<number> => {
  // What every rule reads with its default parameters: the snapshot then
  // serves any later `scan --snapshot`.
  const prepared = rules.map((rule) => rule.prepare({}));
  const loaded = [];
  for (const region of options.region) {
    const source: AwsSource = {
      region,
      profile: options.profile,
      roleArn: options.roleArn,
    };
    if (io.stderr.isTTY) io.stderr.write(`reading ${region}\n`);
    const { snapshot: one } = await loadLiveAccountRegion(
      source,
      prepared,
      region
    );
    loaded.push(one);
  }
  const document = loaded.length === 1 ? loaded[0] : loaded;
  await writeReport(
    `${JSON.stringify(document, null, 2)}\n`,
    options.output,
    io
  );
  return ExitCode.CLEAN;
};

export type { SnapshotOptions };
export { snapshot };
