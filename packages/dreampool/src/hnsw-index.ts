// The whole public API of @dreampool/hnsw-index, as dreampool/hnsw-index.
export * from "@dreampool/hnsw-index";
