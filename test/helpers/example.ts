import type { SourcedInventory } from '../../cli/evaluate.js';
import { loadSnapshotFile } from '../../functions/shared/formats/snapshot.js';

/** The bundled example account (examples/landscape.json). */
const EXAMPLE = 'examples/landscape.json';

/**
 * Loads a snapshot file whose every account-region must load, as the
 * inventories a scan reads.
 *
 * @throws Error naming the first account-region that did not load
 */
const loadInventories = async (file = EXAMPLE): Promise<SourcedInventory[]> =>
  (await loadSnapshotFile(file)).map((load) => {
    if (!load.ok) throw new Error(`${file} did not load: ${load.message}`);
    return { source: load.source, inventory: load.inventory };
  });

export { EXAMPLE, loadInventories };
