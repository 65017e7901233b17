import { InputError } from '../rules/model/errors.js';
import type { Inventory } from '../rules/model/inventory.js';
import type { Evaluation, PreparedRule } from '../rules/model/rule.js';

/** An inventory with the name of where it came from, for error messages. */
interface SourcedInventory {
  readonly source: string;
  readonly inventory: Inventory;
}

/**
 * Runs every prepared rule over every inventory. The order is stable: rules
 * in registry order, then inventories in input order, then resource ids.
 *
 * @throws InputError prefixed with the inventory's source
 */
const evaluateAll = (
  prepared: readonly PreparedRule[],
  inventories: readonly SourcedInventory[]
): Evaluation[] =>
  prepared.flatMap((rule) =>
    inventories.flatMap(({ source, inventory }) => {
      try {
        return rule.evaluate(inventory);
      } catch (error) {
        if (error instanceof InputError) {
          throw new InputError(`${source}: ${error.message}`, { cause: error });
        }
        throw error;
      }
    })
  );

export type { SourcedInventory };
export { evaluateAll };
