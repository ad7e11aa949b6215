/**
 * Wraps a load so calls made while it runs coalesce into one more run after it: live events arrive
 * in bursts, and each run fetches the latest state anyway, so N events cost at most two fetches.
 */
export function coalescing(load: () => Promise<void>): () => Promise<void> {
  let inFlight: Promise<void> | undefined;
  let stale = false;
  return () => {
    if (inFlight) {
      stale = true;
      return inFlight;
    }
    inFlight = (async () => {
      try {
        do {
          stale = false;
          await load();
        } while (stale);
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
}
