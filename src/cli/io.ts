/** What a CLI command may touch of the process: passed in, so tests can run commands in-process. */
export interface CliIO {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes: 0 success, 1 the project has error diagnostics, 2 usage or configuration error. */
export const exitCode = { ok: 0, projectErrors: 1, usage: 2 } as const;
