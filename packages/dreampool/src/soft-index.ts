// The whole public API of @dreampool/soft-index, as dreampool/soft-index.
export * from "@dreampool/soft-index";
