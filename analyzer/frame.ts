import { ts } from 'ts-morph';

/**
 * A frame is one function's body seen as data flow: every reference to a local variable
 * (declared inside some function, never module-level) with its position, whether it
 * writes the variable, mutates the object it holds, or sits inside a nested function.
 * Liveness questions about any segment of the function are answered from it by range.
 * Built once per function and shared by every entry and call site that inlines it.
 */
export interface Reference {
  readonly symbol: ts.Symbol;
  readonly pos: number;
  /** Assigned or declared here. */
  readonly writes: boolean;
  /** The object it holds is mutated in place here (`x.a = 1`, `x.push(…)`). */
  readonly mutates: boolean;
  /** Inside a function nested in this frame (may run at any later time). */
  readonly nested: boolean;
}

export interface SymbolUse {
  /** Positions of every reference, ascending. */
  readonly positions: number[];
  /** Positions of the references inside functions nested in the frame (closures may run at any later time). */
  readonly nestedPositions: number[];
  /** Another binding may hold the same object (aliasing): `const b = a.items`, `{ a }`, `arr.push(a)`. */
  aliased: boolean;
}

export interface Frame {
  readonly node: ts.Node;
  readonly references: readonly Reference[];
  readonly uses: ReadonlyMap<ts.Symbol, SymbolUse>;
}

/** Methods that change their receiver in place, by the builtin class that has them. */
const mutatingMethods: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['Array', new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin'])],
  ['Map', new Set(['set', 'delete', 'clear'])],
  ['Set', new Set(['add', 'delete', 'clear'])],
  ['WeakMap', new Set(['set', 'delete'])],
  ['WeakSet', new Set(['add', 'delete'])],
  ['Date', new Set(['setTime', 'setDate', 'setFullYear', 'setHours', 'setMinutes', 'setSeconds', 'setMilliseconds', 'setMonth',
    'setUTCDate', 'setUTCFullYear', 'setUTCHours', 'setUTCMinutes', 'setUTCSeconds', 'setUTCMilliseconds', 'setUTCMonth'])],
]);
const storingMethods = new Set(['push', 'unshift', 'set', 'add', 'splice', 'fill']);

/**
 * `receiver.method(…)` changes the receiver in place: the method is a mutator of the
 * builtin the receiver's type is (Array, Map, Set, Date…). A `delete` on a KV namespace
 * or a `set` on a Redis client is an access, not a mutation of a local object.
 */
export function isMutatingCall(checker: ts.TypeChecker, callee: ts.PropertyAccessExpression): boolean {
  const name = callee.name.text;
  const type = checker.getTypeAtLocation(callee.expression);
  const kinds = type.isUnion() ? type.types : [type];
  return kinds.some((t) => {
    const builtin = checker.isArrayType(t) || checker.isTupleType(t) ? 'Array' : t.getSymbol()?.getName() ?? '';
    return mutatingMethods.get(builtin)?.has(name) ?? false;
  });
}

export function isFunctionLike(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** True when the symbol is a variable or parameter declared inside a function (not module-level, not an import). */
export function isLocalSymbol(symbol: ts.Symbol): boolean {
  const decl = symbol.valueDeclaration;
  if (!decl) return false;
  if (!(ts.isVariableDeclaration(decl) || ts.isParameter(decl) || ts.isBindingElement(decl))) return false;
  for (let n: ts.Node | undefined = decl.parent; n; n = n.parent) {
    if (isFunctionLike(n)) return true;
    if (ts.isSourceFile(n) || ts.isModuleBlock(n)) return false;
  }
  return false;
}

const frames = new WeakMap<ts.Node, Frame>();

export function frameOf(fn: ts.Node, checker: ts.TypeChecker): Frame {
  let frame = frames.get(fn);
  if (!frame) {
    frame = buildFrame(fn, checker);
    frames.set(fn, frame);
  }
  return frame;
}

function buildFrame(fn: ts.Node, checker: ts.TypeChecker): Frame {
  const references: Reference[] = [];
  const uses = new Map<ts.Symbol, SymbolUse>();
  const symbolOf = (id: ts.Identifier): ts.Symbol | undefined => {
    const parent = id.parent;
    if (parent && ts.isShorthandPropertyAssignment(parent) && parent.name === id) {
      return checker.getShorthandAssignmentValueSymbol(parent);
    }
    return checker.getSymbolAtLocation(id);
  };
  const visit = (node: ts.Node, nested: boolean): void => {
    if (ts.isIdentifier(node)) {
      if (isReferencePosition(node)) {
        const symbol = symbolOf(node);
        if (symbol && isLocalSymbol(symbol)) {
          const writes = isWritePosition(node);
          const mutates = isMutationRoot(node, checker);
          references.push({ symbol, pos: node.getStart(), writes, mutates, nested });
          let use = uses.get(symbol);
          if (!use) {
            use = { positions: [], nestedPositions: [], aliased: false };
            uses.set(symbol, use);
          }
          use.positions.push(node.getStart());
          if (nested) use.nestedPositions.push(node.getStart());
          if (isAliasingPosition(node, checker)) use.aliased = true;
        }
      }
      return;
    }
    const enters = node !== fn && isFunctionLike(node);
    ts.forEachChild(node, (child) => visit(child, nested || enters));
  };
  if (isFunctionLike(fn)) {
    for (const p of fn.parameters) visit(p, false);
    if (fn.body) visit(fn.body, false);
  } else {
    visit(fn, false);
  }
  // A parameter aliases whatever the caller passed: mutating it is visible to the caller.
  if (isFunctionLike(fn)) {
    for (const p of fn.parameters) {
      for (const id of bindingIdentifiers(p.name)) {
        const symbol = checker.getSymbolAtLocation(id);
        const use = symbol ? uses.get(symbol) : undefined;
        if (use) use.aliased = true;
      }
    }
  }
  references.sort((a, b) => a.pos - b.pos);
  return { node: fn, references, uses };
}

export function bindingIdentifiers(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: ts.Identifier[] = [];
  for (const element of name.elements) {
    if (ts.isBindingElement(element)) out.push(...bindingIdentifiers(element.name));
  }
  return out;
}

/** Identifiers that name a value here (not `.prop` names, not property keys, not labels, not type names). */
function isReferencePosition(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isPropertyAssignment(p) && p.name === id) return false;
  if ((ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p)) && p.name === id) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  if (ts.isTypeReferenceNode(p) || ts.isQualifiedName(p) || ts.isTypeQueryNode(p)) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p)) return false;
  return true;
}

function isWritePosition(id: ts.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isBindingElement(p)) && p.name === id) return true;
  if (ts.isBinaryExpression(p) && p.left === id && isAssignmentOperator(p.operatorToken.kind)) return true;
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
      (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  // Destructuring assignment targets: ({ a } = obj), [a, b] = arr
  if ((ts.isShorthandPropertyAssignment(p) || ts.isArrayLiteralExpression(p)) && isDestructuringTarget(p)) return true;
  return false;
}

function isDestructuringTarget(node: ts.Node): boolean {
  let n: ts.Node = node;
  while (n.parent && (ts.isObjectLiteralExpression(n.parent) || ts.isArrayLiteralExpression(n.parent) ||
         ts.isPropertyAssignment(n.parent) || ts.isShorthandPropertyAssignment(n.parent))) n = n.parent;
  const p = n.parent;
  return !!p && ts.isBinaryExpression(p) && p.left === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}

export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** `x.a = 1`, `x[k] += 2`, `delete x.a`, `x.items.push(y)`, `Object.assign(x, …)`: x is mutated. */
export function isMutationRoot(id: ts.Identifier, checker: ts.TypeChecker): boolean {
  let n: ts.Node = id;
  let sawAccess = false;
  while (n.parent && (ts.isPropertyAccessExpression(n.parent) || ts.isElementAccessExpression(n.parent)) && n.parent.expression === n) {
    n = n.parent;
    sawAccess = true;
  }
  const p = n.parent;
  if (!p) return false;
  if (sawAccess) {
    if (ts.isBinaryExpression(p) && p.left === n && isAssignmentOperator(p.operatorToken.kind)) return true;
    if (ts.isDeleteExpression(p)) return true;
    if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
        (p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  }
  // x.push(…) / x.items.push(…): the callee is a property access whose name mutates its receiver.
  if (ts.isPropertyAccessExpression(n) && n.parent && ts.isCallExpression(n.parent) && n.parent.expression === n &&
      isMutatingCall(checker, n)) return true;
  if (ts.isCallExpression(p) && p.arguments[0] === n && ts.isPropertyAccessExpression(p.expression) &&
      ts.isIdentifier(p.expression.expression) && p.expression.expression.text === 'Object' &&
      p.expression.name.text === 'assign') return true;
  return false;
}

/** The value of `id` (or an object reachable from it) becomes reachable from another binding. */
function isAliasingPosition(id: ts.Identifier, checker: ts.TypeChecker): boolean {
  let n: ts.Node = id;
  while (n.parent && (ts.isPropertyAccessExpression(n.parent) || ts.isElementAccessExpression(n.parent)) && n.parent.expression === n) n = n.parent;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isAwaitExpression(n.parent) || ts.isAsExpression(n.parent) ||
         ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent))) n = n.parent;
  const p = n.parent;
  if (!p) return false;
  const position =
    (ts.isVariableDeclaration(p) && p.initializer === n) ||
    (ts.isBinaryExpression(p) && p.right === n && p.operatorToken.kind === ts.SyntaxKind.EqualsToken) ||
    ts.isShorthandPropertyAssignment(p) || (ts.isPropertyAssignment(p) && p.initializer === n) ||
    ts.isArrayLiteralExpression(p) ||
    (ts.isCallExpression(p) && p.arguments.includes(n as ts.Expression) && ts.isPropertyAccessExpression(p.expression) &&
      storingMethods.has(p.expression.name.text));
  // Only then ask the checker: a primitive is copied, never aliased.
  return position && holdsObject(checker.getTypeAtLocation(n));
}

/** Whether a value of this type can be an object (primitives are copied, never aliased). */
function holdsObject(type: ts.Type): boolean {
  if (type.isUnion()) return type.types.some(holdsObject);
  const primitive = ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike |
    ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.EnumLike | ts.TypeFlags.Never;
  return (type.flags & primitive) === 0;
}
