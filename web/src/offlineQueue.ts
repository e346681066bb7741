/**
 * Task actions taken on a weak network (a grid worker on a stairwell): each is kept in localStorage until the server
 * has answered it, and sent once. Every action goes through the queue, online or not: a flush sends them in the order
 * taken; a network failure keeps the action and the ones after it for the next flush (when the browser says it is
 * online again, or on the next tick); an answer of the server, success or refusal, ends it. An action the server
 * applied but whose answer was lost comes back on its resend as a 409 (a task cannot take the same step twice), so it is
 * never applied twice; that answer is reported as `already` when the task stands where the step takes it, else as
 * refused (the task was cancelled or moved on meanwhile) with its status now. Flushes from two tabs are serialised with a Web Lock.
 */
import { ApiError, fetchTask, workOnTask, type TaskStep, type TaskWorkBody } from './api.ts';

export interface PendingAction { key: string; taskId: number; step: TaskStep; body: TaskWorkBody; queuedAt: string }
export type Outcome = { action: PendingAction; result: 'done' | 'already' } | { action: PendingAction; result: 'refused'; code: string; status?: string };

const KEY = 'cordon.pendingTaskActions';

export function pendingActions(): PendingAction[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as PendingAction[]) : [];
  } catch {
    return [];
  }
}

function save(list: PendingAction[]) {
  localStorage.setItem(KEY, JSON.stringify(list));
  window.dispatchEvent(new Event('cordon-pending'));
}

/** Keeps an action to send; `key` makes a second enqueue of the same click a no-op. */
export function enqueue(a: Omit<PendingAction, 'key' | 'queuedAt'>): PendingAction {
  const action: PendingAction = { ...a, key: crypto.randomUUID(), queuedAt: new Date().toISOString() };
  save([...pendingActions(), action]);
  return action;
}

/** The statuses a step leaves a task in, or moves it past (a step already taken answers 409 when sent again). */
const REACHED: Record<TaskStep, readonly string[]> = { accept: ['accepted', 'in_progress', 'done'], start: ['in_progress', 'done'], complete: ['done'] };

/**
 * A step the server refused as a transition it cannot make: taken already (its answer was lost, and it is resent), or
 * not applied because the task moved on otherwise meanwhile (cancelled, say), which the worker is told.
 */
async function settled(action: PendingAction): Promise<Outcome> {
  const status = await fetchTask(action.taskId).then((r) => r.task.status, () => undefined);
  return status !== undefined && REACHED[action.step].includes(status) ? { action, result: 'already' } : { action, result: 'refused', code: 'INVALID_TRANSITION', status };
}

/** Kept for later: no answer, a server that cannot answer now, or a session to sign in again to. */
const isNetworkFailure = (e: unknown) => !(e instanceof ApiError) || e.status >= 500 || e.status === 401;

async function flushHere(): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (;;) {
    const [next] = pendingActions();
    if (!next) return outcomes;
    try {
      await workOnTask(next.taskId, next.step, next.body);
      outcomes.push({ action: next, result: 'done' });
    } catch (e) {
      if (isNetworkFailure(e)) return outcomes; // kept, with what follows it, for the next flush
      const code = (e as ApiError).code;
      outcomes.push(code === 'INVALID_TRANSITION' ? await settled(next) : { action: next, result: 'refused', code });
    }
    save(pendingActions().filter((p) => p.key !== next.key));
  }
}

let running: Promise<Outcome[]> | null = null;

/** Sends what is pending, once; concurrent calls share one flush (and tabs take turns). */
export function flush(): Promise<Outcome[]> {
  if (!running) {
    const run = navigator.locks ? navigator.locks.request('cordon-task-actions', () => flushHere()).then((r) => r) : flushHere();
    running = run.finally(() => { running = null; });
  }
  return running;
}
