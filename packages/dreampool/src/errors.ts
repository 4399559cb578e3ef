// The whole public API of @dreampool/errors, as dreampool/errors.
export * from "@dreampool/errors";
