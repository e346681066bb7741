/** Lets the event loop turn once (timers, I/O, requests) before going on: the step between slices of long work. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
