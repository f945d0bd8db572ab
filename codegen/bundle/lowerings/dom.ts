import { js, WIT_IMPORTS, type LoweringParts, type LoweringContext } from './types.js';

/**
 * The `document` global on `stopline:line/client-dom`, at a client stop only: the DOM
 * subset of codegen/lower/dom.ts (src/presets/calls/dom.ts). Not a store: the page is the
 * client's own state, read where the program reads it. Codegen has already refused any
 * use of the DOM outside that subset (SL5020/SL5021), so the bundle never carries a
 * program the lowering would answer wrongly.
 */
export function domLowering(context: LoweringContext): LoweringParts {
  if (context.world !== 'client') return {};
  return {
    prelude: [
      `import * as clientDom from ${js(WIT_IMPORTS.clientDom)};`,
      `import { createDocument } from ${js(context.lowering('dom'))};`,
      'globalThis.document = createDocument(clientDom);',
    ],
  };
}
