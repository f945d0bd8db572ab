import type { PayloadSchema, ValueSchema } from '../../src/ir/payload-schema.js';

/**
 * The check of a decoded call's live-ins against the segment's payload schema
 * (codegen/outline/payload-schema.ts), made by the stop's dispatch (link.ts) after the
 * payload decoded and before the live-ins are unpacked or any of the program's code runs.
 *
 * The live-ins must be a record with exactly the schema's fields (an unknown field or a
 * missing one is refused), each holding a value its `ValueSchema` admits. Values are only
 * read as data: own properties of the plain objects and arrays the wire format decoded
 * (which has no getters, setters or class instances other than its built-in kinds).
 *
 * Returns null when the live-ins conform, else where and why they do not. Plain
 * JavaScript: runs inside the component.
 */
export function checkLiveIns(schema: PayloadSchema, liveIns: Record<string, unknown>): string | null {
  for (const name of Object.keys(liveIns)) if (!Object.hasOwn(schema.fields, name)) return `unknown field '${name}'`;
  for (const name of Object.keys(schema.fields)) {
    if (!Object.hasOwn(liveIns, name)) return `missing field '${name}'`;
    const problem = check(schema.fields[name]!, liveIns[name], name);
    if (problem !== null) return problem;
  }
  return null;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function describe(s: ValueSchema): string {
  switch (s.t) {
    case 'literal':
      return JSON.stringify(s.v);
    case 'union':
      return s.of.map(describe).join(' | ');
    case 'array':
      return `${describe(s.of)}[]`;
    case 'object':
      return 'an object';
    default:
      return s.t;
  }
}

function isPackedRequest(v: unknown): boolean {
  if (!isPlainObject(v) || Object.keys(v).length !== 1 || !Object.hasOwn(v, '__stopline_request')) return false;
  const r = v['__stopline_request'];
  if (!isPlainObject(r)) return false;
  const { method, url, headers, body } = r;
  return (
    typeof method === 'string' &&
    typeof url === 'string' &&
    (body === null || typeof body === 'string') &&
    Array.isArray(headers) &&
    headers.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string')
  );
}

function matches(s: ValueSchema, v: unknown): boolean {
  return check(s, v, '') === null;
}

function check(s: ValueSchema, v: unknown, path: string): string | null {
  const fail = (): string => `'${path}' is not ${describe(s)}`;
  switch (s.t) {
    case 'any':
      return null;
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return typeof v === s.t ? null : fail();
    case 'null':
      return v === null ? null : fail();
    case 'date':
      return Object.prototype.toString.call(v) === '[object Date]' && Object.getPrototypeOf(v) === Date.prototype ? null : fail();
    case 'literal':
      return v === s.v ? null : fail();
    case 'request':
      return isPackedRequest(v) ? null : fail();
    case 'union':
      return s.of.some((o) => matches(o, v)) ? null : fail();
    case 'array': {
      if (!Array.isArray(v)) return fail();
      for (let i = 0; i < v.length; i++) {
        const p = check(s.of, v[i], `${path}[${i}]`);
        if (p !== null) return p;
      }
      return null;
    }
    case 'object': {
      // Any object the wire decoded (a plain object, or an instance of a built-in kind such
      // as an Error, whose data is in own properties): TypeScript's object types are open.
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail();
      const record = v as Record<string, unknown>;
      for (const [key, field] of Object.entries(s.fields)) {
        if (!Object.hasOwn(record, key)) {
          if (field.optional || matches(field.s, undefined)) continue;
          return `'${path}.${key}' is missing`;
        }
        const p = check(field.s, record[key], `${path}.${key}`);
        if (p !== null) return p;
      }
      return null;
    }
  }
}
