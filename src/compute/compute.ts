// The compute stage seen by the engine: ticks in (in order per symbol), signal drafts out via a callback.
// InlineCompute runs the ComputeCore on the calling thread; PoolCompute (pool.ts) shards symbols across
// Piscina workers fed through SharedArrayBuffer rings.
import type { Tick } from '../model/tick.js';
import type { SignalDraft } from '../model/signal.js';
import type { StrategyConfig } from '../config/types.js';
import { ComputeCore } from './core.js';
import type { BookViewSlot } from '../book/view.js';
import type { SyncedBook } from '../book/synced-book.js';
import type { BookMessage } from '../book/message.js';

/**
 * A draft and the clocks of the event that made it (tsRecvRemNs: the receive time's exact remainder). Where the
 * draft was made off the main thread (pool mode), the market it saw: bookLive, whether its book was live then,
 * and spreadBps, its symbol's spread then; undefined: the main thread's state is that market (inline).
 */
export type DraftSink = (
  d: SignalDraft,
  tsExchNs: number,
  tsRecvNs: number,
  tsRecvRemNs: number,
  frameStartNs: number,
  bookLive?: boolean,
  spreadBps?: number,
) => void;

/** A strategy instance threw and was disabled (its symbol's other strategies go on). */
export type StrategyErrorSink = (strategy: string, venue: string, symbol: string, message: string) => void;

export interface Compute {
  readonly mode: 'inline' | 'pool';
  onStrategyError?: StrategyErrorSink;
  start(): Promise<void>;
  submit(t: Tick, frameStartNs: number): void;
  /**
   * Inline (the books are on this thread): a live book update for strategies with onBook, run here in order with
   * the symbol's ticks; the view is filled from the book only when one of the symbol's strategies reads books.
   */
  submitBook?(b: SyncedBook, view: BookViewSlot, frameStartNs: number): void;
  /**
   * Pool (the books are on the shards): a venue's book message, to the symbol's shard in order with its ticks;
   * the shard keeps the book and runs onBook (copied: `m` may be reused after the call).
   */
  submitBookMessage?(m: BookMessage, frameStartNs: number): void;
  reload(strategies: readonly StrategyConfig[]): void;
  /**
   * Takes over state computed elsewhere (a re-computation from history): at a moment when every tick submitted
   * so far has been computed, calls `build` (synchronously) for the state of the new strategies over exactly
   * those ticks, and continues from it with the new strategies.
   */
  adopt(strategies: readonly StrategyConfig[], build: () => ComputeCore): Promise<void>;
  /** Waits until every submitted tick has been computed (drain). */
  flush(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
  stats(): { workerUtilization: number; restarts: number; lateWakes: number };
}

export class InlineCompute implements Compute {
  readonly mode = 'inline' as const;
  core: ComputeCore;
  onStrategyError?: StrategyErrorSink;
  constructor(
    strategies: readonly StrategyConfig[],
    private readonly sink: DraftSink,
  ) {
    this.core = this.watched(new ComputeCore(strategies));
  }
  private watched(core: ComputeCore): ComputeCore {
    core.onStrategyError = (...a) => this.onStrategyError?.(...a);
    return core;
  }
  async start(): Promise<void> {
    /* nothing to start */
  }
  submit(t: Tick, frameStartNs: number): void {
    const drafts = this.core.onTick(t);
    for (let i = 0; i < drafts.length; i++) this.sink(drafts[i]!, t.tsExchNs, t.tsRecvNs, t.tsRecvRemNs, frameStartNs);
  }
  submitBook(b: SyncedBook, view: BookViewSlot, frameStartNs: number): void {
    if (!this.core.readsBooks(b.venue, b.symbol)) return;
    const drafts = this.core.onBook(view.fill(b));
    for (let i = 0; i < drafts.length; i++) this.sink(drafts[i]!, b.tsExchNs, b.tsRecvNs, b.tsRecvRemNs, frameStartNs);
  }
  reload(strategies: readonly StrategyConfig[]): void {
    this.core.reload(strategies);
  }
  /** Swaps in a core built elsewhere (a re-computation from history), between two ticks. */
  async adopt(_strategies: readonly StrategyConfig[], build: () => ComputeCore): Promise<void> {
    this.core = this.watched(build());
  }
  async flush(): Promise<void> {
    /* synchronous */
  }
  async stop(): Promise<void> {
    /* nothing to stop */
  }
  stats() {
    return { workerUtilization: 0, restarts: 0, lateWakes: 0 };
  }
}
