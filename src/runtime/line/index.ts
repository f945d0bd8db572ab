/** The local line runtime: stops' components in one process, linked, on the embedded stores. */
export { openLine, type Line, type LineCrossing, type LineResult, type LineStopInfo, type LineStopSpec, type OpenLineOptions, type StorePlace } from './line.js';
export {
  Bucket,
  Connection,
  createStopHost,
  nearestCopy,
  toWitSqlError,
  type Area,
  type HostFault,
  type KvError,
  type LineStores,
  type LinkOutcome,
  type RpcError,
  type RpcErrorCode,
  type SqlErrorKind,
  type StopHost,
  type StopHostOptions,
  type StoreAccess,
  type StorageError,
  type WitSqlError,
} from './host.js';
export { clientDomImports, DomElement } from './client-dom.js';
export { linkEndpoint } from './link-endpoint.js';
export { faultAt, FAULT_KINDS, seededFaults, transmit, type Fault, type FaultKind, type LinkFaults, type Transport } from './faults.js';
export { IdempotencyTable } from './idempotency.js';
export { DEFAULT_ATTEMPTS, rpcPolicy, writesByPlan, writingSegments, type AttemptInfo, type RpcPolicy, type RpcPolicyOptions } from './rpc-policy.js';
