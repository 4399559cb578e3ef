// The whole public API of @dreampool/postgres, as dreampool/postgres.
export * from "@dreampool/postgres";
