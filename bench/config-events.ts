/**
 * AWS Config's invoking events, as Config puts them in a rule's
 * invocation (the shapes functions/shared/formats/config-event.ts reads),
 * for the bench and the tests that run the handler on synthetic events.
 */

/** A scheduled notification: the invoking event of a periodic run. */
const scheduledNotification = (accountId: string, notifiedAt: string) => ({
  awsAccountId: accountId,
  notificationCreationTime: notifiedAt,
  messageType: 'ScheduledNotification',
  recordVersion: '1.0',
});

/** What changed, and when it was captured and notified. */
interface ChangedItem {
  readonly accountId: string;
  readonly region: string;
  readonly resourceType: string;
  /** As EC2 gave it; undefined leaves the key out, as in a malformed item. */
  readonly resourceId: string | undefined;
  readonly configuration: unknown;
  /** `OK` unless given (`ResourceDeleted`, `ResourceNotRecorded`…). */
  readonly status?: string;
  readonly capturedAt: string;
  readonly notifiedAt: string;
}

/** A change notification of one configuration item, without relationships. */
const changeNotification = (item: ChangedItem) => ({
  configurationItem: {
    configurationItemCaptureTime: item.capturedAt,
    configurationItemStatus: item.status ?? 'OK',
    awsAccountId: item.accountId,
    awsRegion: item.region,
    resourceType: item.resourceType,
    resourceId: item.resourceId,
    configuration: item.configuration,
    relationships: [],
  },
  configurationItemDiff: null,
  notificationCreationTime: item.notifiedAt,
  messageType: 'ConfigurationItemChangeNotification',
  recordVersion: '1.3',
});

export type { ChangedItem };
export { changeNotification, scheduledNotification };
