import type * as Sarif from 'sarif';
import { catalog } from '../diagnostics/index.js';
import type { Diagnostic, DiagnosticCategory, SourceRange } from '../ir/index.js';

/**
 * Diagnostics as a SARIF 2.1.0 log (what GitHub code scanning and most CI dashboards
 * read): one run of tool `stopline`, one rule per code used (its catalog template as the
 * description), one result per diagnostic. Locations are relative URIs under the
 * `%SRCROOT%` base; `pathPrefix` (e.g. the project's directory inside the repository)
 * is put in front of every file. Pure: the same diagnostics give the same log.
 */
export interface SarifOptions {
  readonly toolVersion: string;
  /** Prepended to every file path (`packages/api` → `packages/api/src/x.ts`); '' for none. */
  readonly pathPrefix?: string;
}

export type SarifLog = Sarif.Log;

const DATA_FLOWS = new Set(['SL4301']);

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function sarifLog(diagnostics: readonly Diagnostic[], options: SarifOptions): SarifLog {
  const prefix = (options.pathPrefix ?? '').replace(/\\/g, '/').replace(/^\.\/?/, '').replace(/\/+$/, '');
  const codes = [...new Set(diagnostics.map((d) => d.code))].sort();
  const rules: Sarif.ReportingDescriptor[] = codes.map((code) => {
    const entry = (catalog as Readonly<Record<string, { readonly category: DiagnosticCategory; readonly template: string }>>)[code];
    const rule: Sarif.ReportingDescriptor = { id: code };
    if (entry !== undefined) {
      rule.shortDescription = { text: entry.template };
      rule.defaultConfiguration = { level: level(entry.category) };
    }
    return rule;
  });
  const location = (range: SourceRange): Sarif.PhysicalLocation => ({
    artifactLocation: { uri: uri(prefix, range.file), uriBaseId: '%SRCROOT%' },
    region: {
      startLine: range.start.line,
      startColumn: range.start.column,
      endLine: range.end.line,
      endColumn: range.end.column,
    },
  });
  const results: Sarif.Result[] = diagnostics.map((d) => {
    const result: Sarif.Result = {
      ruleId: d.code,
      ruleIndex: codes.indexOf(d.code),
      level: level(d.category),
      message: { text: d.message },
    };
    if (d.range !== null) result.locations = [{ physicalLocation: location(d.range) }];
    if (d.related.length > 0) {
      result.relatedLocations = d.related.map((note, i) => ({ id: i, physicalLocation: location(note.range), message: { text: note.message } }));
    }
    // A data flow (SL4301: an untrusted value into a strong write): its path as a code flow, source first.
    if (DATA_FLOWS.has(d.code) && d.related.length > 0) {
      result.codeFlows = [{ threadFlows: [{ locations: d.related.map((note) => ({ location: { physicalLocation: location(note.range), message: { text: note.message } } })) }] }];
    }
    return result;
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'stopline', version: options.toolVersion, rules } },
        results,
      },
    ],
  };
}

function level(category: DiagnosticCategory): Sarif.Result.level {
  return category === 'error' ? 'error' : category === 'warning' ? 'warning' : 'note';
}

/** A relative URI reference: path segments percent-encoded, slashes kept. */
function uri(prefix: string, file: string): string {
  const full = prefix === '' ? file : `${prefix}/${file}`;
  return full.split('/').map((part) => encodeURIComponent(part)).join('/');
}
