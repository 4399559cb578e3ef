// The whole public API of @dreampool/query-cache, as dreampool/query-cache.
export * from "@dreampool/query-cache";
