/**
 * The server's clock. Every use case reads the time from the clock in its context, never from a request: a time a
 * client sends may be a fact to record (when a sample was taken), but it never decides when something happens
 * (DESIGN.md, "Time is the server's"). Tests give the app a fixed or settable clock.
 */
import { nowSeconds } from '../domain/time.ts';

/** A source of the current time, in whole epoch seconds. */
export interface Clock {
  now(): number;
}

/** The machine's clock. */
export const systemClock: Clock = { now: nowSeconds };

/** A clock that stands at `at` until it is moved (tests, replays of a recorded day). */
export class SettableClock implements Clock {
  constructor(private at: number) {}
  now(): number {
    return this.at;
  }
  /** Moves the clock to `at` (epoch seconds). */
  set(at: number): void {
    this.at = at;
  }
  /** Moves the clock forward by `seconds`. */
  advance(seconds: number): void {
    this.at += seconds;
  }
}
