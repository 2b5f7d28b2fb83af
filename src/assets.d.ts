/**
 * Files imported `with { type: 'file' }` (Bun's file loader): the import is the file's path on
 * disk, or inside `/$bunfs/` once `bun build --compile` has embedded the file in the binary.
 */
declare module '*/standalone.js' {
  const path: string
  export default path
}
