import { beforeAll, describe, expect, it } from 'vitest';
import { rewriteInsertDefaults } from '../../src/runtime/stores/insert-defaults.js';
import { createSqlEngine, type SqlEngine } from '../../src/runtime/stores/index.js';

/**
 * The SQL drizzle-orm's node-postgres driver sends (captured from drizzle 0.45 for the
 * conduit fixture's queries) on the embedded SQLite store: quoting, `$n` parameters,
 * DEFAULT in VALUES, RETURNING, ON CONFLICT DO NOTHING, SELECT DISTINCT, now().
 */

let engine: SqlEngine;
beforeAll(async () => {
  engine = await createSqlEngine();
});

const SCHEMA = `
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username VARCHAR(64) NOT NULL UNIQUE);
CREATE TABLE articles (
  id INTEGER PRIMARY KEY AUTOINCREMENT, slug VARCHAR(128) NOT NULL UNIQUE, title TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL DEFAULT (now()), status TEXT NOT NULL DEFAULT ('draft'), note TEXT
);
CREATE TABLE tags (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(64) NOT NULL UNIQUE);
CREATE TABLE article_tags (article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE, tag_id INTEGER NOT NULL REFERENCES tags (id), PRIMARY KEY (article_id, tag_id));
INSERT INTO users (id, username) VALUES (1, 'ada');
INSERT INTO articles (id, slug, title, author_id, created_at) VALUES (7, 'old', 'Old', 1, '2025-01-01T00:00:00.000Z');
`;

function store(now = Date.UTC(2026, 0, 1)) {
  return engine.openSqlStore({ name: 'conduit', seed: SCHEMA, now: () => now });
}

describe('DEFAULT in INSERT … VALUES', () => {
  it('becomes the column default, or NULL (the next id of an INTEGER PRIMARY KEY), with RETURNING as drizzle reads it', () => {
    const db = store();
    const result = db.query(
      'insert into "articles" ("id", "slug", "title", "author_id", "created_at", "status", "note") values (default, $1, $2, $3, default, default, default) returning "id", "slug", "created_at", "status", "note"',
      ['new', 'New', 1],
    );
    expect(result.fields).toEqual(['id', 'slug', 'created_at', 'status', 'note']);
    // the sequence goes on after the seeded id 7; now() is the store's clock as ISO text
    expect(result.rows).toEqual([{ id: 8, slug: 'new', created_at: '2026-01-01T00:00:00.000Z', status: 'draft', note: null }]);
  });

  it('rewrites every row of a multi-row VALUES, and leaves strings, identifiers and other statements alone', () => {
    const schema = {
      columns: (table: string) => (table === 't' ? ['a', 'b'] : null),
      defaultOf: (_table: string, column: string) => (column === 'b' ? "'x'" : null),
    };
    expect(rewriteInsertDefaults('insert into "t" ("a", "b") values (default, \'default\'), ($1, default)', schema)).toBe(
      'insert into "t" ("a", "b") values (NULL, \'default\'), ($1, (\'x\'))',
    );
    expect(rewriteInsertDefaults('INSERT INTO t VALUES (1, DEFAULT)', schema)).toBe("INSERT INTO t VALUES (1, ('x'))");
    expect(rewriteInsertDefaults('INSERT OR IGNORE INTO main.t (b) VALUES (DEFAULT)', schema)).toBe("INSERT OR IGNORE INTO main.t (b) VALUES (('x'))");
    expect(rewriteInsertDefaults('update t set b = default', schema)).toBe('update t set b = default');
    expect(rewriteInsertDefaults('insert into "t" ("a") values (coalesce(default, 1))', schema)).toBe('insert into "t" ("a") values (coalesce(default, 1))');
    expect(rewriteInsertDefaults('insert into unknown values (default)', schema)).toBe('insert into unknown values (default)');
  });
});

describe("drizzle's Postgres SQL on SQLite", () => {
  it('runs ON CONFLICT DO NOTHING, IN lists, joins with SELECT DISTINCT and ORDER BY, and ON DELETE CASCADE', () => {
    const db = store();
    db.query('insert into "tags" ("id", "name") values (default, $1) on conflict do nothing', ['intro']);
    const again = db.query('insert into "tags" ("id", "name") values (default, $1) on conflict do nothing', ['intro']);
    expect(again.rowCount).toBe(0);
    db.query('insert into "tags" ("id", "name") values (default, $1) on conflict do nothing', ['edge']);
    // The skipped insert used up id 2, as Postgres' nextval() does before the conflict is found.
    // (Without ORDER BY the row order is the planner's, in SQLite as in Postgres.)
    const ids = db.query('select "id" from "tags" where "tags"."name" in ($1, $2)', ['edge', 'intro']);
    expect(ids.rows.map((r) => r['id']).sort()).toEqual([1, 3]);
    db.query('insert into "article_tags" ("article_id", "tag_id") values ($1, $2), ($3, $4) on conflict do nothing', [7, 1, 7, 3]);
    db.query('insert into "article_tags" ("article_id", "tag_id") values ($1, $2), ($3, $4) on conflict do nothing', [7, 1, 7, 3]);
    const distinct = db.query('select distinct "tags"."name" from "tags" inner join "article_tags" on "article_tags"."tag_id" = "tags"."id" order by "tags"."name"');
    expect(distinct.rows).toEqual([{ name: 'edge' }, { name: 'intro' }]);
    db.query('update "articles" set "title" = $1, "created_at" = $2 where "articles"."id" = $3', ['Renamed', '2026-01-02T03:04:05.006Z', 7]);
    expect(db.query('select "title", "created_at" from "articles" where "articles"."slug" = $1', ['old']).rows).toEqual([{ title: 'Renamed', created_at: '2026-01-02T03:04:05.006Z' }]);
    db.query('delete from "articles" where "articles"."id" = $1', [7]);
    expect(db.query('select count(*) as n from "article_tags"').rows).toEqual([{ n: 0 }]);
  });

  it('has no now() unless the store is given a clock', () => {
    const db = engine.openSqlStore({ name: 'plain' });
    expect(() => db.query('select now()')).toThrow(/no such function: now/);
  });
});
