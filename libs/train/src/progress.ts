import { SingleBar } from 'cli-progress';

export interface Progress {
  startEpoch(epoch: number, epochs: number, batches: number): void;
  batch(done: number, loss: number, samplesPerSecond: number): void;
  endEpoch(line: string): void;
  stop(): void;
}

/** 42s, 3m05s. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/**
 * A live bar on a terminal; on anything else (CI logs, pipes) plain lines a few times per epoch,
 * so a log shows progress without carriage-return noise.
 */
export function makeProgress(stream: NodeJS.WriteStream = process.stderr, log: (line: string) => void = console.log): Progress {
  const tty = Boolean(stream.isTTY) && !process.env.CI;
  let bar: SingleBar | undefined;
  let label = '';
  let total = 0;
  let nextReport = 0;
  let started = 0;
  return {
    startEpoch(epoch, epochs, batches) {
      label = `epoch ${epoch}/${epochs}`;
      total = batches;
      nextReport = Math.ceil(batches / 4);
      started = Date.now();
      if (tty) {
        bar = new SingleBar({
          stream,
          format: `${label} |{bar}| {value}/{total} batches | loss {loss} | {speed} samples/s | {left} left`,
          barsize: 24,
          hideCursor: true,
          clearOnComplete: true,
        });
        bar.start(batches, 0, { loss: '-', speed: '-', left: '?' });
      }
    },
    batch(done, loss, samplesPerSecond) {
      const left = ((Date.now() - started) / 1000 / done) * (total - done);
      if (bar) bar.update(done, { loss: loss.toFixed(4), speed: Math.round(samplesPerSecond), left: duration(left) });
      else if (done >= nextReport && done < total) {
        log(`${label} batch ${done}/${total} loss ${loss.toFixed(4)} ${Math.round(samplesPerSecond)} samples/s ~${duration(left)} left in epoch`);
        nextReport += Math.ceil(total / 4);
      }
    },
    endEpoch(line) {
      bar?.stop();
      bar = undefined;
      log(line);
    },
    stop() {
      bar?.stop();
    },
  };
}
