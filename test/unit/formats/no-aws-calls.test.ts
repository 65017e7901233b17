import { describe, expect, it } from '@jest/globals';
import { actionsCalledUnder } from '../../infra/code-actions.js';

describe('functions/shared/formats', () => {
  it('sends no AWS command: the adapters that do live in functions/shared/aws', () => {
    // Act
    const actions = actionsCalledUnder('functions/shared/formats');

    // Assert
    expect(actions).toEqual([]);
  });

  it('keeps config:GetResourceConfigHistory among the actions the AWS adapters call', () => {
    // Act
    const actions = actionsCalledUnder('functions/shared/aws');

    // Assert
    expect(actions).toContain('config:GetResourceConfigHistory');
  });
});
