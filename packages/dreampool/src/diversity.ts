// The whole public API of @dreampool/diversity, as dreampool/diversity.
export * from "@dreampool/diversity";
