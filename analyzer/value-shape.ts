import { ts } from 'ts-morph';
import type { ValueKind } from '../src/ir/index.js';

/** What crossing a cut would mean for a value of some type. */
export interface ValueShape {
  readonly kind: ValueKind;
  readonly bytes: number;
  readonly reason: string | null;
  /** The preset handle rule that classified the value, when one did. */
  readonly handle?: { readonly preset: string; readonly api: string };
}

export interface HandleClassifier {
  classifyType(type: ts.Type): { readonly kind: 'store-handle' | 'resource' | 'request'; readonly api: string; readonly preset?: string } | null;
}

/**
 * Size estimates (bytes on the wire) used when the type gives no bound: the planner
 * only compares them, so they need to be consistent rather than exact. Arrays and
 * collections hold `collectionLength` elements; strings are `stringBytes` long.
 */
const stringBytes = 32;
const unknownBytes = 256;
const maxDepth = 4;

/** Well-known classes that the wire format carries as data. */
const dataClasses = new Set([
  'Date', 'RegExp', 'Map', 'Set', 'ArrayBuffer', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array',
  'Uint32Array', 'Int32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  'Uint8ClampedArray', 'DataView', 'Error', 'TypeError', 'RangeError', 'URL', 'URLSearchParams',
]);
/** Request-scoped web objects: their data crosses (url, headers, body), not their identity. */
const requestClasses = new Set(['Request', 'Headers', 'Response', 'FormData', 'FetchEvent']);
/** Values that cannot cross a cut at all. */
const opaqueClasses = new Set([
  'Promise', 'WeakMap', 'WeakSet', 'WeakRef', 'ReadableStream', 'WritableStream', 'TransformStream',
  'AbortController', 'AbortSignal', 'Generator', 'AsyncGenerator', 'Iterator', 'AsyncIterator', 'IterableIterator',
  'AsyncIterableIterator', 'EventEmitter', 'Socket', 'Server',
]);

export class ValueShapes {
  private readonly cache = new Map<ts.Type, ValueShape>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly handles: HandleClassifier,
    private readonly collectionLength: number,
  ) {}

  of(type: ts.Type): ValueShape {
    return this.shape(type, 0, new Set());
  }

  private shape(type: ts.Type, depth: number, seen: Set<ts.Type>): ValueShape {
    const cached = this.cache.get(type);
    if (cached) return cached;
    if (seen.has(type)) return { kind: 'value', bytes: unknownBytes, reason: null };
    seen.add(type);
    const result = this.compute(type, depth, seen);
    seen.delete(type);
    if (depth === 0) this.cache.set(type, result);
    return result;
  }

  private compute(type: ts.Type, depth: number, seen: Set<ts.Type>): ValueShape {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return value(unknownBytes);
    if (f & ts.TypeFlags.StringLiteral) return value(2 + (type as ts.StringLiteralType).value.length);
    if (f & ts.TypeFlags.StringLike) return value(stringBytes);
    if (f & (ts.TypeFlags.NumberLike | ts.TypeFlags.EnumLike)) return value(8);
    if (f & ts.TypeFlags.BooleanLike) return value(1);
    if (f & ts.TypeFlags.BigIntLike) return value(16);
    if (f & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Never)) return value(1);
    if (f & ts.TypeFlags.ESSymbolLike) return opaque('a symbol has no identity on another stop');

    const handle = this.handles.classifyType(type);
    if (handle) {
      return { kind: handle.kind, bytes: handle.kind === 'request' ? 1024 : 0, reason: `${handle.api} is a ${handle.kind}`, ...(handle.preset === undefined ? {} : { handle: { preset: handle.preset, api: handle.api } }) };
    }

    if (type.isUnion()) return this.combine(type.types, depth, seen, 'max');
    if (type.isIntersection()) return this.combine(type.types, depth, seen, 'sum');
    if (f & ts.TypeFlags.TypeParameter) {
      const constraint = this.checker.getBaseConstraintOfType(type);
      return constraint && constraint !== type ? this.shape(constraint, depth, seen) : value(unknownBytes);
    }
    if (!(f & ts.TypeFlags.Object)) return value(unknownBytes);

    const name = type.getSymbol()?.getName() ?? '';
    if (requestClasses.has(name)) return { kind: 'request', bytes: 1024, reason: `${name} is request-scoped` };
    if (opaqueClasses.has(name)) return opaque(`a ${name} cannot be copied to another stop`);
    if (dataClasses.has(name)) {
      if (name === 'Map' || name === 'Set') return value(this.collectionLength * this.elementBytes(type, depth, seen));
      if (name.endsWith('Array') || name === 'ArrayBuffer' || name === 'DataView') return value(4096);
      return value(name === 'Date' ? 8 : 64);
    }
    if (this.checker.isTupleType(type)) {
      const elements = this.checker.getTypeArguments(type as ts.TypeReference);
      return this.combine(elements, depth, seen, 'sum');
    }
    if (this.checker.isArrayType(type)) {
      const element = this.checker.getTypeArguments(type as ts.TypeReference)[0];
      const inner = element ? this.shape(element, depth + 1, seen) : value(unknownBytes);
      return inner.kind === 'value' ? value(8 + this.collectionLength * inner.bytes) : inner;
    }
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0 || name === 'Function') {
      return opaque('a function value cannot be sent to another stop');
    }
    const symbol = type.getSymbol();
    const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (declaration && ts.isClassLike(declaration) && hasMethods(declaration)) {
      return opaque(`an instance of class ${name} would lose its methods`);
    }
    if (depth >= maxDepth) return value(unknownBytes);
    const properties = this.checker.getPropertiesOfType(type);
    for (const property of properties) {
      const decl = property.valueDeclaration ?? property.declarations?.[0];
      if (decl && (ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl))) {
        return opaque(`${name ? `a ${name}` : 'it'} has behaviour (method '${property.getName()}'), not just data`);
      }
    }
    let bytes = 2;
    let handleProperties = 0;
    let dataProperties = 0;
    for (const property of properties) {
      const decl = property.valueDeclaration ?? property.declarations?.[0];
      if (!decl) continue;
      if ((ts.canHaveModifiers(decl) && ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) || (ts.isPropertyDeclaration(decl) && ts.isPrivateIdentifier(decl.name))) {
        return opaque(`it has a private member '${property.getName()}'`);
      }
      const inner = this.shape(this.checker.getTypeOfSymbolAtLocation(property, decl), depth + 1, seen);
      if (inner.kind === 'unserializable') return opaque(`its property '${property.getName()}' is not serialisable: ${inner.reason ?? ''}`);
      if (inner.kind === 'store-handle') handleProperties++;
      else if (inner.kind !== 'value' || inner.bytes > stringBytes) dataProperties++;
      bytes += property.getName().length + 3 + inner.bytes;
    }
    // A bag of bindings (a Workers `env`): every stop gets its own, like the handles in it.
    if (handleProperties > 0 && dataProperties === 0) {
      return { kind: 'store-handle', bytes: 0, reason: `${name || 'the object'} holds store bindings` };
    }
    const index = type.getStringIndexType() ?? type.getNumberIndexType();
    if (index) {
      const inner = this.shape(index, depth + 1, seen);
      if (inner.kind === 'unserializable') return inner;
      bytes += this.collectionLength * (inner.bytes + 10);
    }
    return value(bytes);
  }

  private elementBytes(type: ts.Type, depth: number, seen: Set<ts.Type>): number {
    const args = (type as ts.TypeReference).typeArguments ?? this.checker.getTypeArguments(type as ts.TypeReference);
    let bytes = 0;
    for (const arg of args ?? []) bytes += this.shape(arg, depth + 1, seen).bytes;
    return bytes || unknownBytes;
  }

  private combine(types: readonly ts.Type[], depth: number, seen: Set<ts.Type>, how: 'max' | 'sum'): ValueShape {
    let bytes = 0;
    let worst: ValueShape | null = null;
    for (const t of types) {
      const s = this.shape(t, depth, seen);
      if (s.kind !== 'value' && (worst === null || rank(s.kind) > rank(worst.kind))) worst = s;
      bytes = how === 'max' ? Math.max(bytes, s.bytes) : bytes + s.bytes;
    }
    return worst ?? value(bytes);
  }
}

function value(bytes: number): ValueShape {
  return { kind: 'value', bytes, reason: null };
}

function opaque(reason: string): ValueShape {
  return { kind: 'unserializable', bytes: 0, reason };
}

/** unserializable beats resource beats request beats store-handle: the most restrictive wins. */
function rank(kind: ValueKind): number {
  return { value: 0, 'store-handle': 1, request: 2, resource: 3, unserializable: 4 }[kind];
}

function hasMethods(declaration: ts.ClassLikeDeclaration): boolean {
  return declaration.members.some((m) => ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isSetAccessorDeclaration(m));
}
