/**
 * Reads configuration items from AWS Config's history: the full item of an
 * oversized change notification, which carries only a summary.
 */
import {
  type ConfigurationItem as ApiConfigurationItem,
  type ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  ResourceType,
} from '@aws-sdk/client-config-service';
import { InvalidEventError, toAwsCallError } from '../errors.js';
import {
  type ConfigurationItem,
  type Trigger,
  toNotificationItem,
} from '../formats/config-event.js';

const KNOWN_RESOURCE_TYPES: ReadonlySet<string> = new Set<string>(
  Object.values(ResourceType)
);

/** A type GetResourceConfigHistory accepts, as the SDK this was built with knows them. */
const isKnownResourceType = (type: string): type is ResourceType =>
  KNOWN_RESOURCE_TYPES.has(type);

/**
 * Fetches the full configuration item of an oversized notification with
 * `GetResourceConfigHistory` (the item at or before the summary's capture
 * time, `limit: 1`, as the AWS samples do) and converts it to the
 * notification model.
 *
 * @param config - the Config client of the account-region the event is from
 * @param principal - the role making the call, named in AccessDenied errors
 * @throws AwsCallError when the call fails
 * @throws InvalidEventError when the summary's resource type is not one the
 *   API accepts, or Config returns no item or a malformed one
 */
const inflateOversized = async (
  config: ConfigServiceClient,
  trigger: Extract<Trigger, { kind: 'oversized' }>,
  principal: string
): Promise<ConfigurationItem> => {
  const { resourceType, resourceId, configurationItemCaptureTime } =
    trigger.summary;
  if (!isKnownResourceType(resourceType)) {
    throw new InvalidEventError(
      `invokingEvent.configurationItemSummary.resourceType: expected a resource type config:GetResourceConfigHistory accepts, got ${JSON.stringify(resourceType)}`
    );
  }
  let items: ApiConfigurationItem[];
  try {
    const response = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType,
        resourceId,
        laterTime: new Date(configurationItemCaptureTime),
        limit: 1,
      })
    );
    items = response.configurationItems ?? [];
  } catch (error) {
    throw toAwsCallError(error, 'config:GetResourceConfigHistory', principal);
  }
  const [first] = items;
  if (first === undefined) {
    throw new InvalidEventError(
      `config:GetResourceConfigHistory returned no configuration item for ${resourceType} ${resourceId} at or before ${configurationItemCaptureTime}`
    );
  }
  return toNotificationItem(first);
};

export { inflateOversized };
