// The whole public API of @dreampool/embedding, as dreampool/embedding.
export * from "@dreampool/embedding";
