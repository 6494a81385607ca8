// The compiled catalogue, bundled into the Worker (wrangler.toml [alias]; vitest resolve.alias).
declare module 'dualuse:catalogue' {
  const artifact: import('../core/catalogue/types').CatalogueArtifact
  export default artifact
}
