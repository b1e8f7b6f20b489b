// The strategy SDK (`christmas/sdk`): what a user strategy module imports. The contract's types (a module's
// default export is a StrategyBuilder; instances see Ticks and return SignalDrafts) and the streaming indicator
// classes and L2 book features the built-in strategies use, so a module computes exactly what the engine's own strategies do.
// See docs/strategies.md.
export type { Tick, Side } from '../model/tick.js';
export type { SignalDraft, SignalSide } from '../model/signal.js';
export type { StrategyFactory, StrategyInstance } from '../strategy/strategy.js';
export type { StrategyBuilder } from '../strategy/modules.js';
export { clamp01 } from '../strategy/strategy.js';
export type { BookView } from '../book/view.js';
export { depthImbalance, depthMicroprice, depthWithinBps, spreadTicks, OrderFlowImbalance } from '../book/features.js';
export { SMA } from '../indicators/sma.js';
export { WMA } from '../indicators/wma.js';
export { EMA } from '../indicators/ema.js';
export { DEMA } from '../indicators/dema.js';
export { TEMA } from '../indicators/tema.js';
export { TimeDecayEMA } from '../indicators/ema-time.js';
export { RSI } from '../indicators/rsi.js';
export { MACD } from '../indicators/macd.js';
export { BollingerBands } from '../indicators/bollinger.js';
export { RollingStdDev } from '../indicators/stddev.js';
export { ZScore } from '../indicators/zscore.js';
export { SessionVWAP, RollingVWAP } from '../indicators/vwap.js';
export { VWMA } from '../indicators/vwma.js';
export { ATR } from '../indicators/atr.js';
export { Stochastic } from '../indicators/stochastic.js';
export { ROC } from '../indicators/roc.js';
export { Momentum } from '../indicators/momentum.js';
export { RealizedVolatility } from '../indicators/realized-vol.js';
export { RollingMinMax } from '../indicators/minmax.js';
export { TimeMinMax } from '../indicators/time-minmax.js';
export { TradeFlowImbalance } from '../indicators/trade-flow-imbalance.js';
export { TickRuleVolume } from '../indicators/tick-rule.js';
export { Microprice } from '../indicators/microprice.js';
export { Mid } from '../indicators/mid.js';
export { Spread } from '../indicators/spread.js';
export { BookImbalance } from '../indicators/book-imbalance.js';
