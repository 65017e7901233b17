/**
 * Per-file setup of the `integration` project. Jest reads `testTimeout` only
 * from the global config, so the 60 s budget of calls against moto is set
 * here instead of in the project entry of `jest.config.js`.
 */
import { jest } from '@jest/globals';

jest.setTimeout(60_000);
