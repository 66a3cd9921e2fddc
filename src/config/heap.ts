import v8 from 'node:v8';

/**
 * Lets the heap grow by half of what survived the last full collection before the next one, instead
 * of V8's default of up to four times. A 50,000-row sync batch allocates about 200 MB and keeps about
 * 60: by default the heap held the garbage of a batch or two before collecting, so the service's peak
 * RSS reached 340–370 MB (about 250 MB with this), and the sync CLI's rose with the length of the file
 * it streamed (465–520 MB for 500,000 rows; about 265 MB with this). Read paths keep little, so they
 * collect a little more often. An internal V8 flag, set at run time: a Node upgrade that drops it
 * leaves V8's default growth and a warning on stderr, and bench:sync shows the memory again.
 */
export function boundHeapGrowth(): void {
  v8.setFlagsFromString('--heap-growing-percent=50');
}
