import cliProgress, { type SingleBar } from "cli-progress";

/** Progress of one long phase: a bar on a terminal, plain lines elsewhere, nothing for --json. */
export interface Progress {
  start(label: string, total: number): void;
  update(done: number, note: string): void;
  stop(): void;
}

/**
 * Lets timers and signal handlers run between chunks of CPU-bound work: the pool's async methods
 * settle as microtasks, so without this a Ctrl-C or a progress redraw would wait for the whole phase.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

/** A cli-progress bar on `stream` (a TTY). */
export function barProgress(stream: NodeJS.WriteStream): Progress {
  let bar: SingleBar | null = null;
  return {
    start(label, total) {
      bar = new cliProgress.SingleBar(
        {
          stream,
          format: `${label.padEnd(9)} [{bar}] {value}/{total} {note}`,
          barCompleteChar: "█",
          barIncompleteChar: "░",
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { note: "" });
    },
    update(done, note) {
      bar?.update(done, { note });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

/** One line per tenth of the work (logs and pipes get no carriage-return animation). */
export function lineProgress(write: (line: string) => void): Progress {
  let label = "";
  let total = 0;
  let nextTenth = 1;
  return {
    start(l, t) {
      label = l;
      total = t;
      nextTenth = 1;
    },
    update(done, note) {
      while (total > 0 && done * 10 >= nextTenth * total && nextTenth <= 10) {
        write(`${label}: ${done}/${total} ${note}`.trimEnd());
        nextTenth = Math.floor((done * 10) / total) + 1;
      }
    },
    stop() {},
  };
}
