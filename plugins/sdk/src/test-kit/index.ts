/**
 * @herald/plugin-sdk/test-kit: contract tests and fakes for plugin authors. Test-runner agnostic:
 * `assert*Contract` throws node's AssertionError, `run*Contract` returns a report.
 *
 *     import { assertChannelContract } from '@herald/plugin-sdk/test-kit';
 *     it('honours the channel contract', () => assertChannelContract(plugin, { config, validMessage }));
 */
export { assertChannelContract, runChannelContract } from './run-channel-contract.js';
export type { CallbackContractOptions, ChannelContractOptions, ContractSend } from './run-channel-contract.js';
export { assertSourceContract, runSourceContract } from './run-source-contract.js';
export type { SourceContractOptions } from './run-source-contract.js';
export { assertContractReport, formatContractReport } from './contract-report.js';
export type { ContractCheck, ContractCheckStatus, ContractReport } from './contract-report.js';
export {
  abortedSignal,
  manualClock,
  memoryLogger,
  providerCallback,
  testCallbackContext,
  testPluginContext,
  testQueryContext,
  testSendContext,
} from './test-context.js';
export type { LogEntry, LogLevel, ManualClock, MemoryLogger, ProviderCallbackOptions, TestContextOptions, TestSendContextOptions } from './test-context.js';
export { validateAgainstSchema } from './validate-against-schema.js';
