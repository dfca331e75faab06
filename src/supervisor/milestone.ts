/**
 * A one-shot fact about a service that others wait on ("auth is ready"). It settles once:
 * `true` when reached, `false` when it can no longer be reached (the service failed, completed
 * before it was ready, or the session is stopping), so a dependent never waits forever.
 */
export class Milestone {
  readonly reached: Promise<boolean>;
  private settle!: (value: boolean) => void;
  private settledValue: boolean | undefined;

  constructor() {
    this.reached = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  get settled(): boolean {
    return this.settledValue !== undefined;
  }

  get value(): boolean | undefined {
    return this.settledValue;
  }

  resolve(value: boolean): void {
    if (this.settledValue !== undefined) return;
    this.settledValue = value;
    this.settle(value);
  }
}
