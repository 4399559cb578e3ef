import { Command, CommanderError, Option } from "commander";
import { DreamError, type DreamResult } from "dreampool";
import { CLI_MODES, INDEX_CHOICES } from "./args.js";
import { benchCommand } from "./commands/bench-command.js";
import { defaultSnapshotPath, demoCommand } from "./commands/demo-command.js";
import { inspectCommand } from "./commands/inspect-command.js";
import { queryCommand } from "./commands/query-command.js";
import { type CliIo, processIo } from "./io.js";

/** Exit code of every usage or runtime error. */
export const EXIT_ERROR = 2;

/** One line for any failure: a DreamError's message, or the first line of anything else. */
export function errorLine(error: unknown): string {
  if (DreamError.isInstance(error)) return error.message;
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0] ?? text;
}

function program(io: CliIo, setCode: (code: number) => void): Command {
  const finish = (result: DreamResult<number>) => {
    if (result.ok) setCode(result.value);
    else {
      io.stderr(`dreampool: ${errorLine(result.error)}\n`);
      setCode(EXIT_ERROR);
    }
  };
  const root = new Command("dreampool")
    .description("A retrieval memory for an optimisation loop: dream, store, retrieve, seed.")
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // Commander's own usage errors: one line, prefixed like ours.
      outputError: (text, write) => write(`dreampool: ${text.trim().replace(/^error: /, "")}\n`),
    });

  root
    .command("demo", { isDefault: true })
    .description("run the dream-cycle demo (the default command)")
    .option("--size <n>", "dreams to generate", "1000")
    .option("--seed <n>", "seed of every random draw", "1")
    .option("-k, --k <n>", "results per retrieval", "5")
    .addOption(new Option("--index <kind>", "embedding index").choices(INDEX_CHOICES).default("auto"))
    .option("--budget <size>", "memory budget: bytes or a size such as 64MB")
    .option("--store <url>", "run on PostgreSQL (postgres://…, needs pgvector) instead of in memory")
    .option("--table <name>", "PostgreSQL table of the demo (cleared first)", "dreampool_demo")
    .option("--snapshot <path>", "where the in-memory pool's snapshot is written", defaultSnapshotPath())
    .option("--coherence <t>", "coherence gate of the pool, in [0, 1]", "0.6")
    .option("--ab-targets <n>", "targets of the seeding A/B", "20")
    .option("--report <file>", "also write a self-contained HTML report")
    .option("--json", "print machine-readable JSON only")
    .action(async (opts) => finish(await demoCommand(opts, io)));

  root
    .command("inspect")
    .description("show a snapshot's stats, classes, memory and a sample of entries")
    .argument("<snapshot>", "snapshot file written by the demo or DreamPool.save")
    .option("--sample <n>", "entries to list", "8")
    .option("--report <file>", "also write a self-contained HTML report")
    .option("--json", "print machine-readable JSON only")
    .action(async (snapshot, opts) => finish(await inspectCommand(snapshot, opts, io)));

  root
    .command("query")
    .description("retrieve the dreams of a snapshot nearest to a colour")
    .argument("<snapshot>", "snapshot file")
    .requiredOption("--rgb <r,g,b>", "query colour, channels in [0, 1], e.g. 1,0.5,0")
    .option("--class <name>", "only entries of this colour class")
    .option("--mode <mode>", `retrieval mode: ${CLI_MODES.join(", ")}`, "soft")
    .option("-k, --k <n>", "results", "5")
    .option("--json", "print machine-readable JSON only")
    .action(async (snapshot, opts) => finish(await queryCommand(snapshot, opts, io)));

  root
    .command("bench")
    .description("run the benchmark pipeline (pnpm bench at the repository root)")
    .option("--quick", "smaller sizes and fewer rounds (pnpm bench:quick)")
    .action(async (opts) => finish(await benchCommand(opts, io)));
  return root;
}

/** Runs the CLI on `argv` (the user's arguments, without node and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code = 0;
  try {
    await program(io, (c) => {
      code = c;
    }).parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return error.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    io.stderr(`dreampool: ${errorLine(error)}\n`);
    return EXIT_ERROR;
  }
}
