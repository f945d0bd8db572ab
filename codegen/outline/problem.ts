import type { Diagnostic } from '../../src/ir/index.js';

/** Thrown while an entry is emitted: the entry gets this diagnostic instead of code. */
export class CodegenProblem extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}
