/**
 * Waits for a state rather than for a time: polls `probe` until it returns a value other than
 * undefined or false. No deadline of its own; the test's timeout bounds the wait, and a timeout
 * names what never happened.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> {
  let polls = 0;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    polls += 1;
    // Yield between polls (each probe is a round trip), backing off to 50 ms so a long wait stays cheap.
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, polls)));
    if (polls % 2000 === 0) console.warn(`still waiting until ${what}`);
  }
}
