import type { LiveVariable, PayloadSchema, ValueSchema } from '../../src/ir/index.js';

export type { PayloadSchema, ValueSchema };

/**
 * The schema of a segment's call payload, generated at codegen time from the analyzer's
 * live-in types, and checked by the stop's dispatch (codegen/lower/rpc-guard.ts) on the
 * decoded live-ins before any of the program's code runs.
 *
 * `fields`: the live-in names the caller's stub sends — exactly these, no other (an unknown
 * or missing field is a bad payload). Each field's `ValueSchema` is the analyzer's
 * structural schema of the variable's type (`LiveVariable.schema`, analyzer/value-schema.ts:
 * named interfaces and aliases expanded into their properties). Without one (a graph
 * made before schemas were recorded, or a type that states nothing checkable) it comes
 * from the variable's printed type (`LiveVariable.type`) read by a small parser of the type syntax the checker
 * prints: primitives, literals, unions, arrays (`T[]`, `Array<T>`, `readonly T[]`), `Date`,
 * and object literal types (`{ id: string; qty?: number }`: the listed properties are
 * checked, other properties are allowed, as TypeScript's structural types allow them).
 * Anything else — a named interface, a generic, a truncated type — is `any`: the parser
 * only narrows where the type says exactly what the value is, so a schema never rejects a
 * value the program can produce (the wire format still rules out functions, classes…).
 * A web `Request` live-in crosses packed (link.ts) and is checked as that packed form.
 *
 * JSON-serialisable: the bundle embeds it in the stop's dispatch table.
 */
const ANY: ValueSchema = { t: 'any' };

/** Values of a call cut or an entry: `{ args: [...] }`. */
export const ARGS_SCHEMA: PayloadSchema = { fields: { args: { t: 'array', of: ANY } } };

function union(of: readonly ValueSchema[]): ValueSchema {
  const flat = of.flatMap((s) => (s.t === 'union' ? s.of : [s]));
  if (flat.some((s) => s.t === 'any')) return ANY;
  return flat.length === 1 ? flat[0]! : { t: 'union', of: flat };
}

/** The schema of one variable's values. `unset`: it may not be assigned yet when the call is made (a live-out the segment assigns). */
export function variableSchema(variables: readonly LiveVariable[], unset = false): ValueSchema {
  const shapes = variables.map((v): ValueSchema => {
    if (v.kind === 'request') return /^Request(<.*>)?$/.test(v.type) ? { t: 'request' } : ANY;
    if (v.kind !== 'value') return ANY;
    // The analyzer's structural schema (analyzer/value-schema.ts, from the checker's type,
    // named interfaces expanded) when it has one; else what the printed type states.
    return v.schema ?? parseType(v.type);
  });
  return union(unset ? [...shapes, { t: 'undefined' }] : shapes);
}

/** A segment's payload schema: each sent name from the variables it stands for. */
export function payloadSchema(sent: readonly string[], variablesOf: (name: string) => { readonly live: readonly LiveVariable[]; readonly unset: boolean }): PayloadSchema {
  const fields: Record<string, ValueSchema> = {};
  for (const name of sent) {
    const { live, unset } = variablesOf(name);
    fields[name] = live.length === 0 ? ANY : variableSchema(live, unset);
  }
  return { fields };
}

// --- the type parser ------------------------------------------------------------------

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|[A-Za-z_$][\w$]*|\[\]|[|&(){}<>;:?,.[\]=]|\S)/y;

class Unknown extends Error {}

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  for (;;) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (m === null) {
      if (text.slice(at).trim() !== '') throw new Unknown();
      return out;
    }
    out.push(m[1]!);
  }
}

const PRIMITIVES: Readonly<Record<string, ValueSchema>> = {
  string: { t: 'string' },
  number: { t: 'number' },
  boolean: { t: 'boolean' },
  bigint: { t: 'bigint' },
  null: { t: 'null' },
  undefined: { t: 'undefined' },
  void: { t: 'undefined' },
  true: { t: 'literal', v: true },
  false: { t: 'literal', v: false },
  Date: { t: 'date' },
};

/** The schema the printed type `text` states, `any` where it states nothing checkable. */
export function parseType(text: string): ValueSchema {
  if (text.endsWith('...')) return ANY; // truncated by the analyzer
  let tokens: string[];
  try {
    tokens = tokenize(text);
  } catch {
    return ANY;
  }
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const next = (): string => {
    const t = tokens[i++];
    if (t === undefined) throw new Unknown();
    return t;
  };
  const expect = (t: string): void => {
    if (next() !== t) throw new Unknown();
  };
  /** Skips a balanced `<…>` (a generic's arguments). */
  const skipGeneric = (): void => {
    let depth = 0;
    do {
      const t = next();
      if (t === '<') depth++;
      else if (t === '>') depth--;
    } while (depth > 0);
  };
  const unionType = (): ValueSchema => {
    if (peek() === '|') next();
    const parts = [postfix()];
    while (peek() === '|') {
      next();
      parts.push(postfix());
    }
    return union(parts);
  };
  const postfix = (): ValueSchema => {
    let s = primary();
    while (peek() === '[]') {
      next();
      s = { t: 'array', of: s };
    }
    if (peek() === '&') throw new Unknown(); // intersections: not checked
    return s;
  };
  const objectType = (): ValueSchema => {
    const fields: Record<string, { s: ValueSchema; optional: boolean }> = {};
    while (peek() !== '}') {
      if (peek() === 'readonly') next();
      let name = next();
      if (name.startsWith('"') || name.startsWith("'")) name = JSON.parse(name.startsWith("'") ? `"${name.slice(1, -1)}"` : name) as string;
      else if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Unknown(); // index signatures, methods, computed keys
      let optional = false;
      if (peek() === '?') {
        next();
        optional = true;
      }
      expect(':');
      const s = unionType();
      if (name === '__proto__') throw new Unknown();
      fields[name] = { s: optional ? union([s, { t: 'undefined' }]) : s, optional };
      if (peek() === ';' || peek() === ',') next();
    }
    next();
    return { t: 'object', fields };
  };
  const primary = (): ValueSchema => {
    const t = next();
    if (t === '(') {
      const s = unionType();
      expect(')');
      return s;
    }
    if (t === '{') return objectType();
    if (t === 'readonly') return postfix();
    if (t.startsWith('"') || t.startsWith("'")) return { t: 'literal', v: JSON.parse(t.startsWith("'") ? `"${t.slice(1, -1)}"` : t) as string };
    if (/^-?\d/.test(t)) return { t: 'literal', v: Number(t) };
    if (Object.hasOwn(PRIMITIVES, t)) return PRIMITIVES[t]!;
    if ((t === 'Array' || t === 'ReadonlyArray') && peek() === '<') {
      next();
      const of = unionType();
      expect('>');
      return { t: 'array', of };
    }
    if (/^[A-Za-z_$][\w$]*$/.test(t)) {
      // A named type (interface, alias, class, generic): its shape is not in the printed text.
      while (peek() === '.') {
        next();
        next();
      }
      if (peek() === '<') skipGeneric();
      return ANY;
    }
    throw new Unknown();
  };
  try {
    const s = unionType();
    return i === tokens.length ? s : ANY;
  } catch {
    return ANY;
  }
}
