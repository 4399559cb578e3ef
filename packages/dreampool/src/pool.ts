// The whole public API of @dreampool/pool, as dreampool/pool.
export * from "@dreampool/pool";
