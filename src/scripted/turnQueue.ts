import type { Fault, ScriptTurn } from './scriptTypes';

export type NextStep =
  | { kind: 'none' }
  | { kind: 'fault'; turnIndex: number; fault: Exclude<Fault, { type: 'latency' }>; delayMs: number }
  | { kind: 'turn'; turnIndex: number; turn: ScriptTurn; delayMs: number; latencyFaults: number };

/**
 * Which turn (or fault) answers a request. Selection is synchronous, so concurrent requests never
 * get the same turn.
 */
export class TurnQueue {
  private readonly consumed: boolean[];
  private readonly faultsServed: number[];

  constructor(readonly turns: readonly ScriptTurn[]) {
    this.consumed = turns.map(() => false);
    this.faultsServed = turns.map(() => 0);
  }

  /**
   * Serves the next pending fault of the first matching turn, or hands out the turn itself (which
   * the caller then consumes). A `latency` fault adds its delay and falls through to whatever comes
   * next, so it never costs the client a request of its own.
   */
  next(agent: string | undefined, task: string | undefined): NextStep {
    const turnIndex = this.turns.findIndex((t, i) => !this.consumed[i] && matches(t, agent, task));
    if (turnIndex === -1) return { kind: 'none' };
    const turn = this.turns[turnIndex]!;
    const faults = turn.faults ?? [];
    let delayMs = 0;
    let latencyFaults = 0;
    while (this.faultsServed[turnIndex]! < faults.length) {
      const fault = faults[this.faultsServed[turnIndex]!++]!;
      if (fault.type !== 'latency') return { kind: 'fault', turnIndex, fault, delayMs };
      delayMs += fault.ms;
      latencyFaults++;
    }
    return { kind: 'turn', turnIndex, turn, delayMs, latencyFaults };
  }

  consume(turnIndex: number): void {
    this.consumed[turnIndex] = true;
  }

  /** Puts a turn back, e.g. when its response never reached the client. */
  release(turnIndex: number): void {
    this.consumed[turnIndex] = false;
  }

  remaining(): ScriptTurn[] {
    return this.turns.filter((_, i) => !this.consumed[i]);
  }
}

function matches(turn: ScriptTurn, agent: string | undefined, task: string | undefined): boolean {
  if (agent === undefined) return true;
  return turn.agent === agent && (turn.task === undefined || turn.task === task);
}
