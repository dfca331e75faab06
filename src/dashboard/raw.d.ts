/** `import text from './file?raw'`: the file's content as a string (esbuild plugin, Vite). */
declare module '*?raw' {
  const text: string;
  export default text;
}
