export interface Result {
  name: string;
  value: number;
  unit: string;
  budget: number;
  lowerIsBetter: boolean;
}

export function withinBudget(result: Result): boolean {
  return result.lowerIsBetter ? result.value <= result.budget : result.value >= result.budget;
}
