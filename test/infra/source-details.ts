/**
 * What every vpce-guard Config rule, account or organization, is invoked
 * on: each change of a resource type it watches (oversized ones too), and
 * a periodic run once a day, the default `periodicFrequency`
 * (infra/config-rules.ts, infra/settings.ts).
 */
const RULE_SOURCE_DETAILS = [
  {
    EventSource: 'aws.config',
    MessageType: 'ConfigurationItemChangeNotification',
  },
  {
    EventSource: 'aws.config',
    MessageType: 'OversizedConfigurationItemChangeNotification',
  },
  {
    EventSource: 'aws.config',
    MessageType: 'ScheduledNotification',
    MaximumExecutionFrequency: 'TwentyFour_Hours',
  },
];

export { RULE_SOURCE_DETAILS };
