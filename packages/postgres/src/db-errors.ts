import { criticalState, DreamError, featureUnavailable, invalidConfiguration } from "@dreampool/errors";
import { scrubMessage } from "./redact.js";

/** Network failures that mean "no server there", not "the server said no". */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ECONNRESET",
]);

interface ErrorFields {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

function fieldsOf(error: unknown): ErrorFields {
  return typeof error === "object" && error !== null ? (error as ErrorFields) : {};
}

/** The error code: a SQLSTATE from the server, or a Node system error code (also inside AggregateError). */
function codeOf(error: unknown): string {
  const fields = fieldsOf(error);
  if (typeof fields.code === "string") return fields.code;
  if (Array.isArray(fields.errors)) {
    for (const inner of fields.errors) {
      const code = fieldsOf(inner).code;
      if (typeof code === "string") return code;
    }
  }
  return "";
}

function messageOf(error: unknown): string {
  const message = fieldsOf(error).message;
  return typeof message === "string" && message.length > 0 ? message : String(error);
}

/**
 * Turns anything a driver threw into a DreamError. Unreachable servers, refused logins and a
 * missing database or extension are FeatureUnavailable (the feature, "postgres", is not there);
 * everything else is CriticalState naming the operation. Messages name the target (host:port/db)
 * and never a password: `secrets` are scrubbed as well as any connection string.
 */
export function toDreamError(
  error: unknown,
  operation: string,
  target: string,
  secrets: readonly string[],
): DreamError {
  if (DreamError.isInstance(error)) return error;
  const code = codeOf(error);
  const message = scrubMessage(messageOf(error), secrets);
  if (UNREACHABLE.has(code)) {
    return featureUnavailable("postgres", `cannot reach ${target} during ${operation} (${code}): ${message}`);
  }
  // 28xxx: invalid authorization; 3D000: database does not exist.
  if (code.startsWith("28") || code === "3D000") {
    return featureUnavailable("postgres", `${target} refused ${operation} (SQLSTATE ${code}): ${message}`);
  }
  // 0A000 / 58P01: the vector extension is not installed on the server (or not shipped by PGlite).
  if ((code === "0A000" || code === "58P01") && /vector/i.test(message)) {
    return featureUnavailable(
      "pgvector",
      `${target} has no "vector" extension (${message}); install pgvector, or create PGlite with extensions: { vector }`,
    );
  }
  if (code === "42501") {
    return invalidConfiguration(
      "connection",
      target,
      `the role lacks a privilege ${operation} needs: ${message}`,
    );
  }
  const sqlstate = code.length > 0 ? ` (${code})` : "";
  return criticalState(`PgDreamPool.${operation}`, `${target}${sqlstate}: ${message}`);
}
