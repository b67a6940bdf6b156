/** One row of the bench table. */
export interface Result {
  name: string;
  /** What the project measures (its own way of doing it). */
  value: number;
  unit: string;
  /** Over (or under, when higher is better) this fails `npm run bench`; unset = shown, not judged. */
  budget?: number;
  lowerIsBetter: boolean;
  /** The same figure for the az-style baseline, measured in the same run. */
  baseline?: number;
  /** What physics allows (round trips × measured RTT). */
  bound?: number;
  /** The goal of the issue, in words (e.g. "≥ 10× baseline"). */
  goal?: string;
}

export function withinBudget(result: Result): boolean {
  if (result.budget === undefined) {
    return true;
  }
  return result.lowerIsBetter ? result.value <= result.budget : result.value >= result.budget;
}
