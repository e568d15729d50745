/**
 * Mistakes are the reference solution with one slip: `slip(reference, from, to)` makes it, and fails loudly
 * when the reference no longer contains `from` — so a mistake cannot silently become the right answer after
 * someone edits the solution.
 */
export function slip(reference: string, from: string, to: string): string {
  if (!reference.includes(from)) throw new Error(`the reference no longer contains ${JSON.stringify(from)}`);
  return reference.replace(from, to);
}
