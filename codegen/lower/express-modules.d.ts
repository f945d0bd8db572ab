// Ambient declarations of the small jshttp packages the Express lowering bundles that ship
// no typings (the parts used; see codegen/lower/express-text.ts).
declare module 'statuses' {
  const statuses: {
    readonly message: Readonly<Record<number, string | undefined>>;
    readonly code: Readonly<Record<string, number | undefined>>;
  };
  export default statuses;
}
declare module 'fresh' {
  function fresh(reqHeaders: Readonly<Record<string, string | undefined>>, resHeaders: Readonly<Record<string, unknown>>): boolean;
  export default fresh;
}
declare module 'escape-html' {
  function escapeHtml(text: string): string;
  export default escapeHtml;
}
declare module 'encodeurl' {
  function encodeUrl(url: string): string;
  export default encodeUrl;
}
declare module 'bytes' {
  const bytes: { parse(value: string | number): number | null };
  export default bytes;
}
