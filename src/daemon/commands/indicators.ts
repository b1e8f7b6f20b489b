// `christmas indicators <file> --spec ...`: streaming indicators over recorded trades (or bars built
// from them), one output row per input or per bar.
import { readRecording, venueFromFileName } from '../../feed/replay/readers.js';
import { adapterFor, FRAME_VENUES } from '../../feed/adapters.js';
import { FrameProcessor } from '../../feed/processor.js';
import { IndicatorSet, type Step } from '../../indicators/spec.js';
import { BarBuilder, parseBarSpec } from '../../indicators/bars.js';
import type { Bar } from '../../model/bar.js';
import type { Tick } from '../../model/tick.js';
import type { VenueName } from '../../config/types.js';
import type { Command } from '../command.js';
import { UsageError } from '../../model/errors.js';
import { existsSync } from 'node:fs';

export const indicatorsCommand: Command = {
  name: 'indicators',
  summary: 'compute indicators over a recording\'s trades (or bars built from them)',
  usage: 'indicators <file> --spec "ema:9,sma:20,rsi:14,macd:12:26:9,bbands:20:2,atr:14,stddev:20,vwap" [--bars 1s|1m|ticks:N|volume:V] [--print jsonl|csv]',
  options: {
    spec: { type: 'string', value: 'SPEC', description: 'comma-separated indicators: sma:N ema:N wma:N dema:N tema:N wilder:N rsi:N roc:N mom:N stddev:N zscore:N macd:F:S:G bbands:N:K atr:N stoch:N:D vwap[:windowMs] vwma:N rvol:windowMs' },
    bars: { type: 'string', value: 'B', description: 'aggregate trades first: 1s, 1m, 250ms, ticks:N or volume:V (default: one row per trade)' },
    print: { type: 'string', value: 'jsonl|csv', description: 'output format (default jsonl)' },
    symbol: { type: 'string', value: 'S', description: 'only this symbol (recordings with several)' },
    venue: { type: 'string', value: 'V', description: 'venue parser for frame recordings (default: from the file name)' },
  },
  async run(v, pos) {
    const file = pos[0];
    if (!file) throw new UsageError('indicators needs a file');
    if (!existsSync(file)) throw new UsageError(`indicators: no such file ${file}`);
    if (!v.spec) throw new UsageError('indicators needs --spec');
    const format = (v.print as string | undefined) ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`--print: got "${format}", expected jsonl or csv`);
    const set = new IndicatorSet(String(v.spec));
    const barSpec = v.bars ? parseBarSpec(String(v.bars)) : undefined;
    const out = process.stdout;
    let buf = '';
    const flush = async () => { if (buf) { if (!out.write(buf)) await new Promise((r) => out.once('drain', r)); buf = ''; } };
    const keys = set.keys;
    if (format === 'csv') buf += ['time', ...(barSpec ? ['open', 'high', 'low', 'close', 'volume', 'vwap', 'trades'] : ['price', 'size']), ...keys].join(',') + '\n';
    const cell = (x: unknown): string => x === null || x === undefined ? '' : typeof x === 'object' ? `"${JSON.stringify(x).replace(/"/g, '""')}"` : String(x);
    const step: Step = { open: 0, high: 0, low: 0, close: 0, volume: 0, timeMs: 0, vwap: 0 };
    const emitBar = (b: Bar) => {
      step.open = b.open; step.high = b.high; step.low = b.low; step.close = b.close; step.volume = b.volume; step.timeMs = b.tsOpenMs; step.vwap = b.vwap;
      set.update(step);
      const vals = set.values();
      if (format === 'jsonl') buf += JSON.stringify({ time: new Date(b.tsOpenMs).toISOString(), open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, vwap: b.vwap, trades: b.trades, ...vals }) + '\n';
      else buf += [new Date(b.tsOpenMs).toISOString(), b.open, b.high, b.low, b.close, b.volume, b.vwap, b.trades, ...keys.map((k) => cell(vals[k]))].join(',') + '\n';
    };
    let builder: BarBuilder | undefined;
    const bars: Bar[] = [];
    const onTrade = (t: Tick) => {
      if (t.kind !== 'trade' || (v.symbol && t.symbol !== v.symbol)) return;
      const ms = t.tsExchNs / 1e6;
      if (barSpec) {
        builder ??= new BarBuilder(t.venue, t.symbol, barSpec);
        bars.length = 0;
        builder.update(t.price, t.size, ms, bars);
        for (const b of bars) emitBar(b);
        return;
      }
      step.open = step.high = step.low = step.close = step.vwap = t.price; step.volume = t.size; step.timeMs = ms;
      set.update(step);
      const vals = set.values();
      if (format === 'jsonl') buf += JSON.stringify({ time: new Date(ms).toISOString(), price: t.price, size: t.size, ...vals }) + '\n';
      else buf += [new Date(ms).toISOString(), t.price, t.size, ...keys.map((k) => cell(vals[k]))].join(',') + '\n';
    };
    const venue = (v.venue as string | undefined) ?? venueFromFileName(file).venue;
    const known = FRAME_VENUES;
    const proc = new FrameProcessor(adapterFor({ venue: known.includes(venue as VenueName) ? venue as VenueName : 'binance' }), onTrade);
    let n = 0;
    for await (const r of readRecording(file, { venue: v.venue as string | undefined })) {
      if (r.type === 'frame') proc.onFrame(r.text, r.recvNs); else proc.onTick(r.tick);
      if (++n % 5000 === 0) await flush();
    }
    if (builder) { bars.length = 0; builder.flush(bars); bars.forEach(emitBar); }
    await flush();
    return 0;
  },
};
