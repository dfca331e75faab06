/** A WebAssembly text file, imported as its binary module (scripts/wat.mjs assembles it). */
declare module '*.wat' {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
