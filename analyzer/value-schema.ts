import { ts } from 'ts-morph';
import type { ValueSchema } from '../src/ir/index.js';

/**
 * The structural schema of a live variable's values, read from the checker's type (not
 * from its printed text): what a stop's dispatch checks a crossing value against before
 * the program's code runs (codegen/outline/payload-schema.ts, codegen/lower/rpc-guard.ts).
 *
 * Named interfaces and type aliases are expanded into their properties, so a live-in of
 * type `Cart` is checked as `{ userId: string; lines: { productId: string; qty: number }[];
 * updatedAt: number }`. Only what the type states exactly narrows the schema; everything
 * else is `any`, so the schema never rejects a value the program's types allow:
 *
 * - primitives, literal types (string, number, boolean, enum members), unions, arrays,
 *   tuples (as arrays of their elements' union), `Date`;
 * - object types with properties (interfaces, aliases, object literals, instantiated
 *   generics): the listed data properties are checked, others allowed (TypeScript's types
 *   are open); optional properties also accept `undefined`; a property whose type is a
 *   function is not listed (a method cannot cross);
 * - `any` for: any/unknown/object, type parameters without a checkable constraint,
 *   intersections (branded primitives, mixins), classes (instances cross only as the
 *   registered Error classes the wire format revives), other built-in classes (Map, Set,
 *   typed arrays, URL…: the wire format checks those), index signatures (a record's
 *   values), types nested deeper than `maxDepth`, recursive types where they recur, and
 *   objects with more than `maxProperties` properties.
 *
 * JSON-serialisable; cached per type.
 */
const ANY: ValueSchema = { t: 'any' };
const maxDepth = 6;
const maxProperties = 64;

export class ValueSchemas {
  private readonly cache = new Map<ts.Type, ValueSchema>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly program: ts.Program,
  ) {}

  of(type: ts.Type): ValueSchema {
    const cached = this.cache.get(type);
    if (cached) return cached;
    const schema = this.schema(type, 0, new Set());
    this.cache.set(type, schema);
    return schema;
  }

  private schema(type: ts.Type, depth: number, seen: Set<ts.Type>): ValueSchema {
    if (seen.has(type) || depth > maxDepth) return ANY;
    seen.add(type);
    try {
      return this.compute(type, depth, seen);
    } finally {
      seen.delete(type);
    }
  }

  private compute(type: ts.Type, depth: number, seen: Set<ts.Type>): ValueSchema {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive | ts.TypeFlags.ESSymbolLike | ts.TypeFlags.Never)) return ANY;
    if (type.isStringLiteral()) return { t: 'literal', v: type.value };
    if (type.isNumberLiteral()) return { t: 'literal', v: type.value };
    if (f & ts.TypeFlags.BooleanLiteral) return { t: 'literal', v: (type as { intrinsicName?: string }).intrinsicName === 'true' };
    if (f & ts.TypeFlags.BigIntLiteral) return { t: 'bigint' };
    if (f & ts.TypeFlags.String) return { t: 'string' };
    if (f & ts.TypeFlags.Number) return { t: 'number' };
    if (f & ts.TypeFlags.Boolean) return { t: 'boolean' };
    if (f & ts.TypeFlags.BigInt) return { t: 'bigint' };
    if (f & ts.TypeFlags.Null) return { t: 'null' };
    if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return { t: 'undefined' };
    if (f & ts.TypeFlags.TemplateLiteral || f & ts.TypeFlags.StringMapping) return { t: 'string' };
    if (type.isUnion()) return union(type.types.map((t) => this.schema(t, depth, seen)));
    if (type.isIntersection()) return ANY;
    if (f & ts.TypeFlags.TypeParameter) {
      const constraint = this.checker.getBaseConstraintOfType(type);
      return constraint && constraint !== type && !(constraint.flags & ts.TypeFlags.Unknown) ? this.schema(constraint, depth, seen) : ANY;
    }
    if (!(f & ts.TypeFlags.Object)) return ANY;

    if (this.checker.isTupleType(type)) {
      const elements = this.checker.getTypeArguments(type as ts.TypeReference);
      return { t: 'array', of: elements.length === 0 ? ANY : union(elements.map((t) => this.schema(t, depth + 1, seen))) };
    }
    if (this.checker.isArrayType(type)) {
      const element = this.checker.getTypeArguments(type as ts.TypeReference)[0];
      return { t: 'array', of: element ? this.schema(element, depth + 1, seen) : ANY };
    }
    const symbol = type.getSymbol();
    const declarations = symbol?.declarations ?? [];
    if (declarations.some((d) => this.program.isSourceFileDefaultLibrary(d.getSourceFile()))) {
      return symbol?.getName() === 'Date' ? { t: 'date' } : ANY;
    }
    if (declarations.some((d) => ts.isClassLike(d))) return ANY;
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return ANY;
    if (type.getStringIndexType() || type.getNumberIndexType()) return ANY;

    const properties = this.checker.getPropertiesOfType(type);
    if (properties.length > maxProperties) return ANY;
    const fields: Record<string, { s: ValueSchema; optional: boolean }> = {};
    for (const property of properties) {
      const name = property.getName();
      // Symbol-keyed (`__@iterator@12`) and private (`#x`) members are not data the wire carries by name.
      if (name.startsWith('__@') || name.startsWith('#') || name === '__proto__') return ANY;
      const decl = property.valueDeclaration ?? property.declarations?.[0];
      const propertyType = decl ? this.checker.getTypeOfSymbolAtLocation(property, decl) : this.checker.getTypeOfSymbol(property);
      const nonNullable = this.checker.getNonNullableType(propertyType);
      if (nonNullable.getCallSignatures().length > 0) continue; // a method or callback: cannot cross, not listed
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      const s = this.schema(propertyType, depth + 1, seen);
      fields[name] = { s: optional ? union([s, { t: 'undefined' }]) : s, optional };
    }
    return { t: 'object', fields };
  }
}

function union(of: readonly ValueSchema[]): ValueSchema {
  const flat: ValueSchema[] = [];
  for (const s of of.flatMap((x) => (x.t === 'union' ? x.of : [x]))) {
    if (s.t === 'any') return ANY;
    if (!flat.some((y) => JSON.stringify(y) === JSON.stringify(s))) flat.push(s);
  }
  // `true | false` is `boolean`, as the checker prints it.
  const t = flat.findIndex((s) => s.t === 'literal' && s.v === true);
  const f = flat.findIndex((s) => s.t === 'literal' && s.v === false);
  if (t >= 0 && f >= 0) {
    const rest = flat.filter((_, i) => i !== t && i !== f);
    rest.push({ t: 'boolean' });
    return rest.length === 1 ? rest[0]! : { t: 'union', of: rest };
  }
  return flat.length === 1 ? flat[0]! : { t: 'union', of: flat };
}
