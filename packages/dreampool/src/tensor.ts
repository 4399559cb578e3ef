// The whole public API of @dreampool/tensor, as dreampool/tensor.
export * from "@dreampool/tensor";
