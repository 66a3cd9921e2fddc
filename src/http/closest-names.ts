/** Edit distance between two short strings (parameter names, region names). */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/**
 * The candidates a person most likely meant by `input`: same letters in another case first, then
 * those within a third of the input's length in edits, or that contain it, closest first.
 */
export function closestNames(input: string, candidates: readonly string[], limit = 3): string[] {
  const needle = input.toLowerCase();
  const budget = Math.max(1, Math.floor(needle.length / 3));
  return candidates
    .map((candidate) => {
      const lower = candidate.toLowerCase();
      const distance = lower === needle ? 0 : editDistance(needle, lower);
      const contains = needle.length >= 2 && (lower.includes(needle) || needle.includes(lower));
      return { candidate, distance, near: distance <= budget || contains };
    })
    .filter((c) => c.near)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map((c) => c.candidate);
}
