// The whole public API of @dreampool/memory, as dreampool/memory.
export * from "@dreampool/memory";
