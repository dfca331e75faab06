/** The binary module of the `.wat` file at `path` (scripts/wat.mjs). */
export function watToWasm(path: string): Promise<Buffer>;
