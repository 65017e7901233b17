/**
 * The organization functions' membership check: which accounts it admits,
 * when it reads the organization again, and that it never admits on doubt.
 * Time is an injected clock; no test waits.
 */
import { describe, expect, it } from '@jest/globals';
import {
  createOrganizationGuard,
  MEMBERSHIP_MAX_AGE_MS,
  OrganizationMismatchError,
  UNKNOWN_ACCOUNT_REREAD_MS,
} from '../../../functions/config-rule/organization-guard.js';
import type { OrganizationAccounts } from '../../../functions/shared/aws/organization-accounts.js';
import { AccessDeniedError } from '../../../functions/shared/errors.js';

const MEMBER = '222222222222';
const NEWCOMER = '777777777777';
const OUTSIDER = '999999999999';
const START = new Date('2026-11-23T11:00:00.000Z').getTime();

/** A clock the test moves, and an organization the test edits. */
const world = (accounts: string[] = ['111111111111', MEMBER]) => {
  let now = START;
  const members = new Set(accounts);
  let organizationId = 'o-a1b2c3d4e5';
  const reads: number[] = [];
  const readOrganization = (): Promise<OrganizationAccounts> => {
    reads.push(now);
    return Promise.resolve({
      organizationId,
      activeAccountIds: new Set(members),
    });
  };
  return {
    readOrganization,
    clock: () => new Date(now),
    reads,
    members,
    advance: (ms: number) => {
      now += ms;
    },
    moveTo: (id: string) => {
      organizationId = id;
    },
  };
};

describe('createOrganizationGuard', () => {
  it.each([
    [MEMBER, true],
    [OUTSIDER, false],
  ])('admits %s: %s, naming the organization', async (account, admitted) => {
    // Arrange
    const w = world();
    const guard = createOrganizationGuard(w);

    // Act
    const admission = await guard.admit(account);

    // Assert
    expect(admission).toEqual({ admitted, organizationId: 'o-a1b2c3d4e5' });
  });

  it('reads the organization once for the events of its lifetime', async () => {
    // Arrange
    const w = world();
    const guard = createOrganizationGuard(w);

    // Act
    await guard.admit(MEMBER);
    w.advance(MEMBERSHIP_MAX_AGE_MS - 1);
    await guard.admit(MEMBER);

    // Assert
    expect(w.reads).toEqual([START]);
  });

  it('reads it again once the last read has reached its maximum age', async () => {
    // Arrange
    const w = world();
    const guard = createOrganizationGuard(w);
    await guard.admit(MEMBER);
    w.members.delete(MEMBER);

    // Act
    w.advance(MEMBERSHIP_MAX_AGE_MS);
    const admission = await guard.admit(MEMBER);

    // Assert: an account that left is refused within the maximum age
    expect(w.reads).toEqual([START, START + MEMBERSHIP_MAX_AGE_MS]);
    expect(admission.admitted).toBe(false);
  });

  it('admits an account that joined after the last read once that read is a minute old', async () => {
    // Arrange
    const w = world();
    const guard = createOrganizationGuard(w);
    await guard.admit(MEMBER);
    w.members.add(NEWCOMER);

    // Act
    w.advance(UNKNOWN_ACCOUNT_REREAD_MS - 1);
    const tooEarly = await guard.admit(NEWCOMER);
    w.advance(1);
    const aMinuteLater = await guard.admit(NEWCOMER);

    // Assert
    expect(tooEarly.admitted).toBe(false);
    expect(aMinuteLater.admitted).toBe(true);
    expect(w.reads).toEqual([START, START + UNKNOWN_ACCOUNT_REREAD_MS]);
  });

  it('reads at most once a minute however many outsiders knock', async () => {
    // Arrange
    const w = world();
    const guard = createOrganizationGuard(w);

    // Act: 100 outsider events over 150 seconds
    for (let event = 0; event < 100; event += 1) {
      await guard.admit(OUTSIDER);
      w.advance(1_500);
    }

    // Assert
    expect(w.reads).toEqual([
      START,
      START + UNKNOWN_ACCOUNT_REREAD_MS,
      START + 2 * UNKNOWN_ACCOUNT_REREAD_MS,
    ]);
  });

  it('shares one read between events that arrive together', async () => {
    // Arrange
    const w = world();
    const guard = createOrganizationGuard(w);

    // Act
    const admissions = await Promise.all([
      guard.admit(MEMBER),
      guard.admit(OUTSIDER),
      guard.admit(MEMBER),
    ]);

    // Assert
    expect(admissions.map((a) => a.admitted)).toEqual([true, false, true]);
    expect(w.reads).toHaveLength(1);
  });

  it('fails every event when the organization is not the pinned one', async () => {
    // Arrange
    const w = world();
    w.moveTo('o-zzzzzzzzzz');
    const guard = createOrganizationGuard({
      ...w,
      pinnedOrganizationId: 'o-a1b2c3d4e5',
    });

    // Act
    const admission = guard.admit(MEMBER);

    // Assert
    await expect(admission).rejects.toThrow(OrganizationMismatchError);
    await expect(admission).rejects.toThrow(
      'this function serves organization o-a1b2c3d4e5 (context organizationId), but its account belongs to o-zzzzzzzzzz'
    );
  });

  it('admits by the pinned organization when it is the one read', async () => {
    // Arrange
    const w = world();
    const guard = createOrganizationGuard({
      ...w,
      pinnedOrganizationId: 'o-a1b2c3d4e5',
    });

    // Act
    const admission = await guard.admit(MEMBER);

    // Assert
    expect(admission.admitted).toBe(true);
  });

  it('rethrows a failed read and reads again on the next event, never admitting on doubt', async () => {
    // Arrange
    const w = world();
    let fail = true;
    const guard = createOrganizationGuard({
      clock: w.clock,
      readOrganization: () =>
        fail
          ? Promise.reject(
              new AccessDeniedError(
                'organizations:ListAccounts',
                'the function role'
              )
            )
          : w.readOrganization(),
    });

    // Act
    const first = guard.admit(MEMBER);
    await expect(first).rejects.toThrow(
      'access denied: the function role may not call organizations:ListAccounts'
    );
    fail = false;
    const second = await guard.admit(MEMBER);

    // Assert
    expect(second.admitted).toBe(true);
    expect(w.reads).toEqual([START]);
  });
});
