import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node as YamlNode, Pair } from 'yaml';
import type { Position, SourceRange } from '../ir/index.js';

export type PathElement = string | number;
export type Path = readonly PathElement[];

/** A YAML error of the yaml library, with its range. */
export interface YamlSyntaxError {
  readonly message: string;
  readonly range: SourceRange;
}

/** Where a path leads in the document: the value node and, in a map, the key node. */
interface Located {
  readonly node: YamlNode | null;
  readonly key: YamlNode | null;
  /** True when the whole path was found; else `node`/`key` belong to the deepest ancestor found. */
  readonly found: boolean;
}

/** Text of a map key as toJS() would spell it. */
function keyText(key: unknown): string | null {
  if (isScalar(key)) return String(key.value);
  if (key === null || key === undefined) return null;
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') return String(key);
  return null;
}

/**
 * One stopline.yaml parsed with positions: every key and value can be found by the path
 * zod reports for it, and turned into a 1-based, end-exclusive SourceRange.
 */
export class YamlSource {
  readonly doc: Document.Parsed;
  private readonly lines = new LineCounter();

  /** The text parsed: the file's text without a byte order mark, so columns are what editors show. */
  readonly text: string;

  constructor(
    text: string,
    readonly file: string,
  ) {
    this.text = text.startsWith('\uFEFF') ? text.slice(1) : text;
    this.doc = parseDocument(this.text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true, logLevel: 'silent' });
  }

  syntaxErrors(): YamlSyntaxError[] {
    return this.doc.errors.map((e) => ({
      message: e.message.split('\n')[0] ?? e.message,
      range: this.range(e.pos[0], Math.max(e.pos[0], e.pos[1])),
    }));
  }

  /**
   * The document as plain data (maps → objects, aliases resolved), or the error that
   * stopped the conversion (an alias without an anchor, an alias bomb).
   */
  value(): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: YamlSyntaxError } {
    try {
      // Library code never prints: the yaml library's warnings (a collection used as a map key) are dropped.
      return { ok: true, value: this.doc.toJS({ maxAliasCount: 1000 }) as unknown };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      let blamed: YamlNode | null = null;
      visit(this.doc, {
        Alias: (_key, alias) => {
          if (alias.resolve(this.doc) !== undefined) return undefined;
          blamed = alias;
          return visit.BREAK;
        },
      });
      const range = blamed === null ? this.range(0, 0) : this.nodeRange(blamed);
      return { ok: false, error: { message, range } };
    }
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const p = this.lines.linePos(clamped);
    return { line: p.line, column: p.col };
  }

  range(start: number, end: number): SourceRange {
    return { file: this.file, start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  /** Range of the whole node, ending at its last character (trailing comments and blank lines excluded). */
  nodeRange(node: YamlNode): SourceRange {
    const [start] = node.range ?? [0, 0, 0];
    return this.range(start, this.nodeEnd(node));
  }

  private nodeEnd(node: YamlNode): number {
    const [start, valueEnd] = node.range ?? [0, 0, 0];
    if (isCollection(node) && !node.flow) {
      const last = node.items[node.items.length - 1];
      if (isPair(last)) {
        const end = this.pairEnd(last);
        if (end !== null) return end;
      } else if (isNode(last)) {
        return this.nodeEnd(last);
      }
    }
    let end = valueEnd;
    while (end > start && /\s/.test(this.text[end - 1] ?? '')) end--;
    return end;
  }

  private pairEnd(pair: Pair): number | null {
    if (isNode(pair.value) && !this.isEmpty(pair.value)) return this.nodeEnd(pair.value);
    if (isNode(pair.key)) return this.nodeEnd(pair.key);
    return null;
  }

  /** A null scalar with no text (`key:` with nothing after it). */
  private isEmpty(node: YamlNode): boolean {
    const [start, end] = node.range ?? [0, 0, 0];
    return isScalar(node) && start === end;
  }

  private locate(path: Path): Located {
    let node: YamlNode | null = isNode(this.doc.contents) ? this.doc.contents : null;
    let key: YamlNode | null = null;
    for (const element of path) {
      if (isAlias(node)) {
        const target = node.resolve(this.doc);
        node = isNode(target) ? target : node;
      }
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(element));
        if (pair === undefined) return { node, key, found: false };
        key = isNode(pair.key) ? pair.key : null;
        node = isNode(pair.value) ? pair.value : null;
        if (node === null) return { node: key, key, found: false };
      } else if (isSeq(node) && typeof element === 'number') {
        const item = node.items[element];
        if (!isNode(item)) return { node, key, found: false };
        key = null;
        node = item;
      } else {
        return { node, key, found: false };
      }
    }
    return { node, key, found: true };
  }

  private fallback(): SourceRange {
    return this.range(0, 0);
  }

  /** Whether the path names a node that exists in the document. */
  has(path: Path): boolean {
    return this.locate(path).found;
  }

  /** The value at `path`; its key when the value is empty; the nearest ancestor when missing. */
  valueRange(path: Path): SourceRange {
    const { node, key } = this.locate(path);
    if (node === null) return key === null ? this.fallback() : this.nodeRange(key);
    if (this.isEmpty(node) && key !== null) return this.nodeRange(key);
    return this.nodeRange(node);
  }

  /** The key of the map entry at `path` (a string path element); the value when there is no key (sequence items). */
  keyRange(path: Path): SourceRange {
    const { node, key, found } = this.locate(path);
    if (found && key !== null && typeof path[path.length - 1] === 'string') return this.nodeRange(key);
    if (node === null) return this.fallback();
    return this.nodeRange(node);
  }

  /**
   * Where to blame the map at `path` as a whole (a missing key): its key in the parent
   * map (`orders` under `stores:`), or for a sequence item its first entry (`- stop: edge`).
   */
  headRange(path: Path): SourceRange {
    const last = path[path.length - 1];
    if (typeof last === 'string') return this.keyRange(path);
    const { node } = this.locate(path);
    if (node === null) return this.fallback();
    if (isMap(node) && !node.flow) {
      const first = node.items[0];
      const [start] = node.range ?? [0, 0, 0];
      const end = first === undefined ? null : this.pairEnd(first);
      if (end !== null) return this.range(start, end);
    }
    return this.nodeRange(node);
  }
}
