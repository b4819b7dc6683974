/** Allows at most `max` restarts within a sliding window. Pure, so it is unit-testable. */
export class RestartLimiter {
  private readonly times: number[] = [];

  constructor(private readonly max: number, private readonly windowMs: number) {}

  allow(now: number): boolean {
    while (this.times.length > 0 && now - this.times[0]! > this.windowMs) this.times.shift();
    if (this.times.length >= this.max) return false;
    this.times.push(now);
    return true;
  }
}
