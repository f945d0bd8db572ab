import { describe, expect, it } from 'vitest';
import { Project, ts } from 'ts-morph';
import { classifySql, httpOp, knownText } from '../../analyzer/match/text.js';
import { fromMatches, moduleMatches, ownerMatches, globMatcher } from '../../analyzer/match/glob.js';
import { packageOfPath } from '../../analyzer/match/declaration.js';

describe('classifySql', () => {
  const op = (text: string, complete = true) => classifySql({ text, complete });
  it.each([
    ['SELECT 1', 'read'],
    ['  select * from t', 'read'],
    ['-- note\nSELECT 1', 'read'],
    ['/* a */ /* b */ SELECT 1', 'read'],
    ['(SELECT 1) UNION (SELECT 2)', 'read'],
    ['WITH t AS (SELECT 1) SELECT * FROM t', 'read'],
    ["WITH t AS (SELECT 'update') SELECT * FROM t", 'read'],
    ['WITH t AS (DELETE FROM a RETURNING *) SELECT * FROM t', 'write'],
    ['WITH t AS (SELECT 1) INSERT INTO b SELECT * FROM t', 'write'],
    ['SHOW TABLES', 'read'],
    ['EXPLAIN SELECT 1', 'read'],
    ['DESCRIBE users', 'read'],
    ['INSERT INTO t VALUES (1)', 'write'],
    ['UPDATE t SET a = 1', 'write'],
    ['DELETE FROM t', 'write'],
    ['BEGIN', 'write'],
    ['COMMIT', 'write'],
    ['ROLLBACK', 'write'],
    ['CREATE TABLE t (id int)', 'write'],
    ['', 'write'],
    ['-- only a comment', 'write'],
  ] as const)('%j → %s', (text, expected) => {
    expect(op(text)).toBe(expected);
  });

  it('is conservative when the text is not known', () => {
    expect(classifySql(null)).toBe('write');
    expect(op('SELECT * FROM t WHERE id = ', false)).toBe('read'); // a template's known head
    expect(op('WITH t AS (', false)).toBe('write');
  });
});

describe('knownText and httpOp', () => {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, target: ts.ScriptTarget.ES2022 } });
  const sf = project.createSourceFile(
    'a.ts',
    [
      "const BASE = 'https://api.example.com';",
      "const PATH = `${BASE}/carts`;",
      'declare const id: string;',
      "const GET = { method: 'GET' };",
      'declare const init: RequestInit;',
      "export const values = [BASE + '/x', `${PATH}/${id}/items`, `${id}/x`, 'a' + 'b' + 'c', 42, sql`select ${id}`];",
      "export const inits = [undefined, { method: 'post' }, { headers: {} }, GET, init, { ...GET }, { method: id }, { method: 'HEAD' }];",
      'declare function sql(s: TemplateStringsArray, ...v: unknown[]): string;',
      'interface RequestInit { method?: string }',
    ].join('\n'),
  );
  const program = project.getProgram().compilerObject;
  const checker = program.getTypeChecker();
  const source = program.getSourceFile('/a.ts');
  const arrays = (name: string): ts.Expression[] => {
    let found: ts.Expression[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer && ts.isArrayLiteralExpression(n.initializer)) {
        found = [...n.initializer.elements];
      }
      ts.forEachChild(n, visit);
    };
    if (source) visit(source);
    return found;
  };

  it('follows consts, templates, concatenation and tagged templates', () => {
    expect(sf.getFullText().length).toBeGreaterThan(0);
    expect(arrays('values').map((e) => knownText(checker, e))).toEqual([
      { text: 'https://api.example.com/x', complete: true },
      { text: 'https://api.example.com/carts/', complete: false },
      { text: '', complete: false },
      { text: 'abc', complete: true },
      { text: '42', complete: true },
      { text: 'select ', complete: false },
    ]);
  });

  it('reads the HTTP method of an init object', () => {
    expect(arrays('inits').map((e) => httpOp(checker, e))).toEqual(['read', 'write', 'read', 'read', 'write', 'read', 'write', 'read']);
    expect(httpOp(checker, undefined)).toBe('read');
  });
});

describe('patterns', () => {
  it('globs', () => {
    expect(globMatcher('*Delegate')('UserDelegate')).toBe(true);
    expect(globMatcher('HTML*Element')('HTMLInputElement')).toBe(true);
    expect(globMatcher('HTML*Element')('HTMLCollection')).toBe(false);
    expect(globMatcher('find*')('findMany')).toBe(true);
    expect(globMatcher('a.b')('axb')).toBe(false);
  });

  it('modules match their subpaths, with or without node:', () => {
    expect(moduleMatches('fs', 'fs/promises')).toBe(true);
    expect(moduleMatches('fs', 'node:fs')).toBe(true);
    expect(moduleMatches('node:fs', 'fs')).toBe(true);
    expect(moduleMatches('fs', 'fsevents')).toBe(false);
    expect(moduleMatches('drizzle-orm', 'drizzle-orm/pg-core')).toBe(true);
    expect(moduleMatches('@redis/client', '@redis/client')).toBe(true);
    expect(moduleMatches('@redis/client', '@redis/json')).toBe(false);
  });

  it('owners match dotted suffixes', () => {
    expect(ownerMatches('Process', 'NodeJS.Process')).toBe(true);
    expect(ownerMatches('NodeJS.Process', 'NodeJS.Process')).toBe(true);
    expect(ownerMatches('Deno.Kv', 'Kv')).toBe(false);
    expect(ownerMatches('Node', 'NodeJS.Process')).toBe(false);
    expect(ownerMatches('*', '')).toBe(true);
  });

  it('from: packages and lib prefixes', () => {
    expect(fromMatches('lib.dom', 'lib.dom.d.ts')).toBe(true);
    expect(fromMatches('lib.dom', 'lib.dom.iterable.d.ts')).toBe(true);
    expect(fromMatches('lib.dom', 'lib.es5.d.ts')).toBe(false);
    expect(fromMatches('node', 'node')).toBe(true);
    expect(fromMatches('node', 'node-fetch')).toBe(false);
    expect(fromMatches('node', null)).toBe(false);
  });

  it('packages from paths', () => {
    expect(packageOfPath('/p/node_modules/pg/lib/index.d.ts')).toBe('pg');
    expect(packageOfPath('/p/node_modules/@types/pg/index.d.ts')).toBe('pg');
    expect(packageOfPath('/p/node_modules/@types/scope__name/index.d.ts')).toBe('@scope/name');
    expect(packageOfPath('/p/node_modules/@redis/client/dist/index.d.ts')).toBe('@redis/client');
    expect(packageOfPath('/p/node_modules/.pnpm/pg@8/node_modules/pg/index.d.ts')).toBe('pg');
    expect(packageOfPath('/p/node_modules/.prisma/client/index.d.ts')).toBe('.prisma');
    expect(packageOfPath('/p/src/db.ts')).toBeNull();
  });
});
