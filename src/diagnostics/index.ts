export { catalog, type CatalogEntry, type DiagnosticCode } from './catalog.js';
export { diagnostic, formatMessage, compareDiagnostics, hasErrors, type MessageArgs } from './create.js';
export { formatDiagnostic, formatDiagnostics } from './format.js';
