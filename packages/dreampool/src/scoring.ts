// The whole public API of @dreampool/scoring, as dreampool/scoring.
export * from "@dreampool/scoring";
