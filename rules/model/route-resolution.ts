import { bitAt, type Cidr } from './cidr.js';
import type { Route } from './inventory.js';

/** What route resolution needs of a service's AWS-managed prefix list. */
interface ServicePrefixList {
  readonly id: string;
  readonly cidrs: readonly Cidr[];
}

/**
 * AWS route priority on an equal prefix length ("How route priority works",
 * VPC user guide): a static CIDR route beats a prefix-list route, which beats
 * a propagated one. Lower wins.
 */
const Priority = { STATIC: 0, PREFIX_LIST: 1, PROPAGATED: 2 } as const;

interface Candidate {
  readonly route: Route;
  readonly priority: number;
  /** The block this candidate was inserted for (a route's or a list CIDR). */
  readonly cidr: Cidr;
}

interface TrieNode {
  zero?: TrieNode;
  one?: TrieNode;
  best?: Candidate;
}

/** A part of a service's address space and the route that carries it. */
interface ResolvedPart {
  /** The block of the service's prefix list (or a more specific route's). */
  readonly part: string;
  /** The winning route; `undefined` when no route covers the part. */
  readonly route: Route | undefined;
}

const childFor = (node: TrieNode, bit: 0 | 1): TrieNode | undefined =>
  bit === 0 ? node.zero : node.one;

const insert = (root: TrieNode, candidate: Candidate): void => {
  let node = root;
  for (let i = 0; i < candidate.cidr.prefix; i += 1) {
    const bit = bitAt(candidate.cidr, i);
    const next = childFor(node, bit) ?? {};
    if (bit === 0) node.zero = next;
    else node.one = next;
    node = next;
  }
  if (!node.best || candidate.priority < node.best.priority)
    node.best = candidate;
};

/** True when routes at or below `node` cover every address of its block. */
const fullyCovered = (node: TrieNode | undefined): boolean =>
  node !== undefined &&
  (node.best !== undefined ||
    (fullyCovered(node.zero) && fullyCovered(node.one)));

/** True when `node`'s own route still carries some address of its block. */
const keepsSomeOfItsBlock = (node: TrieNode): boolean =>
  !(fullyCovered(node.zero) && fullyCovered(node.one));

function* winnersBelow(node: TrieNode): Generator<Candidate> {
  for (const child of [node.zero, node.one]) {
    if (!child) continue;
    if (child.best && keepsSomeOfItsBlock(child)) yield child.best;
    yield* winnersBelow(child);
  }
}

/**
 * Longest-prefix match for a whole block: which routes carry some part of
 * `block`. The route covering the block wins what no more specific route
 * inside it takes; each more specific route wins its own part.
 */
const resolveBlock = (roots: RouteTries, block: Cidr): ResolvedPart[] => {
  let node: TrieNode | undefined = block.family === 4 ? roots.v4 : roots.v6;
  let covering = node.best;
  for (let i = 0; i < block.prefix && node; i += 1) {
    node = childFor(node, bitAt(block, i));
    if (node?.best) covering = node.best;
  }
  if (!node) return [{ part: block.text, route: covering?.route }];
  const parts: ResolvedPart[] = [];
  if (keepsSomeOfItsBlock(node))
    parts.push({ part: block.text, route: covering?.route });
  for (const winner of winnersBelow(node)) {
    parts.push({ part: winner.cidr.text, route: winner.route });
  }
  return parts;
};

interface RouteTries {
  readonly v4: TrieNode;
  readonly v6: TrieNode;
}

const priorityOf = (route: Route): number =>
  route.propagated ? Priority.PROPAGATED : Priority.STATIC;

/**
 * Builds the tries for one service: every active CIDR route, plus the
 * route to the service's own prefix list, which matches each CIDR of the list
 * with that CIDR's own prefix length. Routes to other prefix lists
 * (customer-managed ones) do not take part.
 */
const buildTries = (
  routes: readonly Route[],
  prefixList: ServicePrefixList
): RouteTries => {
  const tries: RouteTries = { v4: {}, v6: {} };
  for (const route of routes) {
    if (!route.active) continue;
    const { destination } = route;
    if (destination.kind === 'cidr') {
      const root = destination.cidr.family === 4 ? tries.v4 : tries.v6;
      insert(root, {
        route,
        priority: priorityOf(route),
        cidr: destination.cidr,
      });
    } else if (destination.prefixListId === prefixList.id) {
      for (const cidr of prefixList.cidrs) {
        const root = cidr.family === 4 ? tries.v4 : tries.v6;
        insert(root, { route, priority: Priority.PREFIX_LIST, cidr });
      }
    }
  }
  return tries;
};

/**
 * Decides, for every CIDR of a service's prefix list, where traffic from a
 * subnet using `table` goes. A CIDR split by a more specific route is
 * reported once per part.
 *
 * @param routes - the routes of the subnet's effective route table
 * @param prefixList - the AWS-managed prefix list of the service
 */
const resolveServiceRoutes = (
  routes: readonly Route[],
  prefixList: ServicePrefixList
): ResolvedPart[] => {
  const tries = buildTries(routes, prefixList);
  return prefixList.cidrs.flatMap((cidr) => resolveBlock(tries, cidr));
};

export type { ResolvedPart, ServicePrefixList };
export { resolveServiceRoutes };
