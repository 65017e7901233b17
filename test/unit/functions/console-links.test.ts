import { describe, expect, it } from '@jest/globals';
import {
  automationDocumentConsoleUrl,
  automationDocumentName,
} from '../../../functions/shared/formats/console-links.js';
import { documentNameOf } from '../../../infra/automation-documents.js';
import { rules } from '../../../rules/index.js';

describe('automationDocumentName', () => {
  it.each(rules.map((rule) => [rule.metadata.id]))(
    'names the document of %s as the stacks deploy it',
    (ruleId) => {
      // Act
      const name = automationDocumentName(ruleId);

      // Assert
      expect(name).toBe(documentNameOf(ruleId));
      expect(name).toMatch(/^VpceGuard-[A-Z][A-Za-z0-9]+$/u);
    }
  );
});

describe('automationDocumentConsoleUrl', () => {
  it.each([['evil.example/x'], ['us-east-1.attacker.test#'], ['']])(
    'gives no URL for %j, which is no Region id and would change the host',
    (region) => {
      // Act
      const url = automationDocumentConsoleUrl({
        partition: 'aws',
        region,
        ruleId: 'interface-endpoint-multi-az',
      });

      // Assert
      expect(url).toBeUndefined();
    }
  );

  it.each([['aws-iso'], ['aws-iso-f'], ['aws-eusc'], ['aws-future']])(
    'gives no URL in %s, whose console host is not published',
    (partition) => {
      // Act
      const url = automationDocumentConsoleUrl({
        partition,
        region: 'us-east-1',
        ruleId: 'interface-endpoint-multi-az',
      });

      // Assert
      expect(url).toBeUndefined();
    }
  );
});
