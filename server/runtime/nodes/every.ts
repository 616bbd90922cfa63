import type { SourceIO } from '../node.js';

/**
 * Runs `step` every `intervalMs` while the source runs, waiting for the flow to admit input first. Steps never
 * overlap; a slow flow slows the source instead of piling input up.
 */
export function every(intervalMs: number) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  return {
    run(io: SourceIO, step: () => Promise<void>) {
      const next = async () => {
        if (stopped || !io.running) return;
        const started = Date.now();
        try {
          await io.admit();
          if (stopped || !io.running) return;
          await step();
        } catch (error) {
          io.log('source step failed', { error: String(error) });
        }
        if (stopped || !io.running) return;
        timer = setTimeout(next, Math.max(0, intervalMs - (Date.now() - started)));
      };
      timer = setTimeout(next, intervalMs);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
