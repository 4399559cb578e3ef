/**
 * Connection strings carry passwords; nothing that reaches a message, a log or an error detail
 * may contain one. These helpers reduce a connection string to what is safe to show.
 */

/** `postgres://user:secret@host:5432/db?password=x` → `postgres://user:***@host:5432/db?password=***`. */
export function redactConnectionString(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/\s]*@/gi, "$1:***@")
    .replace(/([?&](?:password|sslpassword|sslkey)=)[^&\s]*/gi, "$1***");
}

/** `host:port/database` of a connection string, without user or password; "postgres" when unparsable. */
export function describeTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const host = url.hostname || url.searchParams.get("host") || "localhost";
    const port = url.port || "5432";
    const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || "(default database)";
    return `${host}:${port}/${database}`;
  } catch {
    return "postgres (unparsable connection string)";
  }
}

/** Removes every occurrence of `secret` (and redacts connection strings) from a message. */
export function scrubMessage(message: string, secrets: readonly string[]): string {
  let out = redactConnectionString(message);
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join("***");
  }
  return out;
}
