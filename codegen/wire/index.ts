// stopline's wire format: the text that carries a segment's live-ins, live-outs and
// completion across a cut. Built on devalue; see codec.ts for what is added on top.
export { encode, decode, createErrorClasses, type DecodeOptions, type EncodeOptions, type ErrorClasses } from './codec.js';
export {
  encodeCall,
  decodeCall,
  encodeCompletion,
  decodeCompletion,
  type Call,
  type Completion,
  type EnvelopeOptions,
  type CompletionKind,
  type LiveValues,
} from './envelope.js';
export { WireError, type WireErrorReason } from './wire-error.js';
