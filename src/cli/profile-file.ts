import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { diagnostic } from '../diagnostics/index.js';
import type { Diagnostic, Position, Profile, SourceRange } from '../ir/index.js';

/**
 * Reads `--profile profile.json` (measured counts, type `Profile`). A file that cannot be
 * read or is not a `stopline.profile/v1` document gives one SL4003 diagnostic located in
 * that file (at the JSON syntax error when there is one), never an exception.
 */
const profileSchema = z.object({
  schema: z.literal('stopline.profile/v1'),
  requests: z.record(z.string(), z.number().positive()),
  executions: z.record(z.string(), z.number().min(0)),
}).strict();

export interface ProfileFile {
  readonly data: Profile;
  /** The file, relative to the project root, with forward slashes (as plan.json records it). */
  readonly file: string;
}

export type ReadProfile = { readonly profile: ProfileFile; readonly diagnostic: null } | { readonly profile: null; readonly diagnostic: Diagnostic };

export function readProfile(absFile: string, rootDir: string): ReadProfile {
  const file = projectPath(absFile, rootDir);
  const fail = (detail: string, at: Position = { line: 1, column: 1 }): ReadProfile => {
    const range: SourceRange = { file, start: at, end: at };
    return { profile: null, diagnostic: diagnostic('SL4003', range, { file, detail }) };
  };
  let text: string;
  try {
    text = fs.readFileSync(absFile, 'utf8');
  } catch (error) {
    return fail(`cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = /at position (\d+)/.exec(message);
    return fail(`not JSON (${message})`, offset ? positionAt(text, Number(offset[1])) : undefined);
  }
  const parsed = profileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(`${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  }
  return { profile: { data: parsed.data, file }, diagnostic: null };
}

/** `absFile` relative to the project root with forward slashes (as every range in stopline). */
export function projectPath(absFile: string, rootDir: string): string {
  return path.relative(rootDir, absFile).split(path.sep).join('/');
}

/** The 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let start = 0;
  for (let i = 0; i < Math.min(offset, text.length); i++) {
    if (text[i] === '\n') {
      line++;
      start = i + 1;
    }
  }
  return { line, column: Math.max(1, offset - start + 1) };
}
