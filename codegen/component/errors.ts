/**
 * What can go wrong building or transpiling a component. The library never prints: it
 * throws a `ComponentBuildError` whose `kind` the caller maps to an SL5xxx diagnostic.
 */
export type ComponentBuildErrorKind =
  /** the JS source or the WIT path does not exist or cannot be read */
  | 'input-missing'
  /** an option is not one componentize-js knows (an unknown WASI feature) */
  | 'invalid-option'
  /** componentize-js, jco or wizer is not installed */
  | 'package-missing'
  /** componentize-js rejected the source or the WIT (parse error, world mismatch, a throw at init) */
  | 'componentize-failed'
  /** jco could not transpile the component */
  | 'transpile-failed'
  /** the build took longer than `timeoutMs` and was killed */
  | 'timeout'
  /** the caller's AbortSignal fired */
  | 'aborted';

export class ComponentBuildError extends Error {
  override readonly name = 'ComponentBuildError';

  constructor(
    readonly kind: ComponentBuildErrorKind,
    message: string,
    /** the tool's own words (componentize-js' error, the guest's output at init) */
    readonly detail: string = '',
  ) {
    super(message);
  }
}
