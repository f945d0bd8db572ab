import { describe, expect, it } from 'vitest';
import { ts } from 'ts-morph';
import { loadProgram } from '../../analyzer/program.js';
import { ValueSchemas } from '../../analyzer/value-schema.js';
import { checkLiveIns } from '../../codegen/lower/rpc-guard.js';
import type { ValueSchema } from '../../src/ir/index.js';
import { caseDir } from './helpers.js';

/**
 * Structural schemas read from the real checker's types (analyzer/value-schema.ts): named
 * interfaces, aliases and instantiated generics are expanded into their properties; what
 * a type does not state exactly stays `any`, so no value the types allow is refused.
 */
const { program, checker, sourceFiles } = loadProgram(caseDir('value-schema'), null);
const schemas = new ValueSchemas(checker, program);
const types = new Map<string, ts.Type>();
for (const sf of sourceFiles) {
  sf.forEachChild(function visit(node) {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name)) types.set(node.name.text, checker.getTypeAtLocation(node.name));
    node.forEachChild(visit);
  });
}
const schemaOf = (name: string): ValueSchema => schemas.of(types.get(name)!);
const field = (s: ValueSchema, optional = false) => ({ s, optional });
const S = { t: 'string' } as const;
const N = { t: 'number' } as const;
const U = { t: 'undefined' } as const;
const ANY = { t: 'any' } as const;

describe('schemas of named types, from the checker', () => {
  it('expands interfaces, nested arrays of interfaces, optional properties and Date', () => {
    const line: ValueSchema = { t: 'object', fields: { productId: field(N), quantity: field(N) } };
    expect(schemaOf('cart')).toEqual({
      t: 'object',
      fields: {
        userId: field(S),
        lines: field({ t: 'array', of: line }),
        note: field({ t: 'union', of: [U, S] }, true),
        updatedAt: field({ t: 'union', of: [{ t: 'null' }, { t: 'date' }] }),
      },
    });
  });

  it('literal unions, enums, booleans, tuples, template literals, bigint', () => {
    expect(schemaOf('status')).toEqual({ t: 'union', of: [{ t: 'literal', v: 'open' }, { t: 'literal', v: 'paid' }] });
    expect(schemaOf('level')).toEqual({ t: 'union', of: [{ t: 'literal', v: 1 }, { t: 'literal', v: 2 }] });
    expect(schemaOf('flag')).toEqual({ t: 'boolean' });
    expect(schemaOf('pair')).toEqual({ t: 'array', of: { t: 'union', of: [S, N] } });
    expect(schemaOf('template')).toEqual(S);
    expect(schemaOf('big')).toEqual({ t: 'bigint' });
  });

  it('an instantiated generic is expanded with its arguments; a recursive type is any where it recurs', () => {
    expect(schemaOf('page')).toEqual({
      t: 'object',
      fields: { items: field({ t: 'array', of: { t: 'object', fields: { productId: field(N), quantity: field(N) } } }), next: field({ t: 'union', of: [U, S] }) },
    });
    expect(schemaOf('tree')).toEqual({ t: 'object', fields: { label: field(S), children: field({ t: 'array', of: ANY }) } });
  });

  it('methods and callbacks are not listed (they cannot cross)', () => {
    expect(schemaOf('withMethod')).toEqual({ t: 'object', fields: { id: field(S) } });
  });

  it('any where the type does not state the value exactly: classes, intersections, records, collections, unknown', () => {
    for (const name of ['account', 'brand', 'counts', 'tags', 'loose']) expect([name, schemaOf(name)]).toEqual([name, ANY]);
  });
});

describe('the guard on an expanded schema', () => {
  const cart = { cart: schemaOf('cart') };
  const ok = { userId: 'ada', lines: [{ productId: 1, quantity: 2 }], updatedAt: null };
  it('admits what the type allows, with extra properties (types are open) and a missing optional', () => {
    expect(checkLiveIns({ fields: cart }, { cart: ok })).toBeNull();
    expect(checkLiveIns({ fields: cart }, { cart: { ...ok, note: 'n', extra: [1] } })).toBeNull();
    expect(checkLiveIns({ fields: cart }, { cart: { ...ok, updatedAt: new Date(0) } })).toBeNull();
  });
  it('refuses a wrong type at any depth, and a missing required property', () => {
    expect(checkLiveIns({ fields: cart }, { cart: { ...ok, lines: [{ productId: 1, quantity: '2' }] } })).toContain('cart.lines[0].quantity');
    expect(checkLiveIns({ fields: cart }, { cart: { ...ok, lines: [{ productId: 1 }] } })).toContain('cart.lines[0].quantity');
    expect(checkLiveIns({ fields: cart }, { cart: { ...ok, updatedAt: '1970-01-01' } })).toContain('cart.updatedAt');
    expect(checkLiveIns({ fields: cart }, { cart: [ok] })).not.toBeNull();
  });
});
