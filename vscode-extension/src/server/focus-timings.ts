/**
 * How long focus checks of each file take when the server is warm, to tell files that check
 * in milliseconds from the few that take long enough to be debounced.
 *
 * The first check of a file is left out: it runs on a cold JIT and often builds the focus
 * project (every template and policy) as well, so a small journey opened right after start-up
 * measures hundreds of milliseconds and would have its next edits held back for seconds. The
 * median of the last few checks keeps one garbage-collection pause from doing the same.
 */
const WINDOW = 5;

export class FocusTimings {
  private readonly samples = new Map<string, number[]>();
  private readonly measuredOnce = new Set<string>();

  record(file: string, ms: number): void {
    if (!this.measuredOnce.has(file)) {
      this.measuredOnce.add(file);
      return;
    }
    let list = this.samples.get(file);
    if (!list) this.samples.set(file, (list = []));
    list.push(ms);
    if (list.length > WINDOW) list.shift();
  }

  /**
   * The lower median of the file's recent warm checks (a file is slow only when at least half
   * of them were); undefined until one was measured.
   */
  typical(file: string): number | undefined {
    const list = this.samples.get(file);
    if (!list?.length) return undefined;
    return [...list].sort((a, b) => a - b)[(list.length - 1) >> 1];
  }

  forget(file: string): void {
    this.samples.delete(file);
    this.measuredOnce.delete(file);
  }
}
