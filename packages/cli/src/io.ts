/** Where the CLI writes: injectable so tests run commands in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The terminal to draw progress bars on, or null (plain progress lines on stderr). */
  readonly tty: NodeJS.WriteStream | null;
  readonly cwd: string;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    tty: process.stderr.isTTY ? process.stderr : null,
    cwd: process.cwd(),
  };
}
