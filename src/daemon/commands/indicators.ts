// `christmas indicators <file> --spec ...`: streaming indicators over a recording's trades (or bars built from
// them), one output row per trade or per bar, plus one per quote when the spec reads quotes. Values sit under
// "indicators" in JSON lines, and in CSV as `indicators.<key>[.<field>]` columns (the JSON path), so a spec key
// never collides with a row field. Rows with bad numbers are dropped at the door and counted on stderr.
import { readRecording, venueFromFileName } from '../../feed/replay/readers.js';
import { adapterFor, FRAME_VENUES } from '../../feed/adapters.js';
import { FrameProcessor } from '../../feed/processor.js';
import { IndicatorSet, columnsOf, type Step } from '../../indicators/spec.js';
import { BarBuilder, parseBarSpec } from '../../indicators/bars.js';
import type { Bar } from '../../model/bar.js';
import type { Tick } from '../../model/tick.js';
import type { VenueName } from '../../config/types.js';
import { checkInputFile, type Command } from '../command.js';
import { UsageError } from '../../model/errors.js';
import { INDICATORS } from '../../indicators/spec.js';
import { dropSummary } from '../../feed/stats.js';

const specHelp = INDICATORS.map((d) => (d.args ? `${d.name}:${d.args}` : d.name)).join(' ');

type Row = Record<string, unknown>;

export const indicatorsCommand: Command = {
  name: 'indicators',
  summary: "compute indicators over a recording's trades (or bars built from them)",
  usage:
    'indicators <file> --spec "ema:9,sma:20,rsi:14,macd:12:26:9,bbands:20:2,atr:14,stddev:20,vwap" [--bars 1s|1m|ticks:N|volume:V] [--print jsonl|csv]',
  options: {
    spec: { type: 'string', value: 'SPEC', description: `comma-separated indicators: ${specHelp}` },
    bars: {
      type: 'string',
      value: 'B',
      description: 'aggregate trades first: 1s, 1m, 250ms, ticks:N or volume:V (default: one row per trade)',
    },
    print: { type: 'string', value: 'jsonl|csv', description: 'output format (default jsonl)' },
    symbol: { type: 'string', value: 'S', description: 'only this symbol (recordings with several)' },
    venue: {
      type: 'string',
      value: 'V',
      description: 'venue parser for frame recordings (default: from the file name)',
    },
  },
  async run(v, pos) {
    const file = pos[0];
    if (!file) throw new UsageError('indicators needs a file');
    checkInputFile('indicators', file);
    if (!v.spec) throw new UsageError('indicators needs --spec');
    const format = (v.print as string | undefined) ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'csv') throw new UsageError(`--print: got "${format}", expected jsonl or csv`);
    const set = new IndicatorSet(String(v.spec));
    const barSpec = v.bars ? parseBarSpec(String(v.bars)) : undefined;
    const quoteRows = !barSpec && set.readsQuotes;
    const out = process.stdout;
    let buf = '';
    const flush = async () => {
      if (buf) {
        if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
        buf = '';
      }
    };
    const keys = set.keys;
    const base = barSpec
      ? ['time', 'open', 'high', 'low', 'close', 'volume', 'vwap', 'trades']
      : ['time', 'price', 'size', 'side', ...(quoteRows ? ['bid', 'bidSize', 'ask', 'askSize'] : [])];
    const columns = keys.flatMap((k) =>
      columnsOf(k).map((c) => ({
        name: `indicators.${c}`,
        key: k,
        field: c === k ? undefined : c.slice(k.length + 1),
      })),
    );
    if (format === 'csv') buf += [...base, ...columns.map((c) => c.name)].join(',') + '\n';
    const emit = (row: Row) => {
      const vals = set.values();
      if (format === 'jsonl') {
        buf += JSON.stringify({ ...row, indicators: vals }) + '\n';
        return;
      }
      const cells = base.map((b) => (row[b] === undefined || row[b] === null ? '' : String(row[b])));
      for (const c of columns) {
        const x = vals[c.key];
        const y =
          c.field === undefined
            ? x
            : x === null || x === undefined
              ? null
              : (x as Record<string, number | null>)[c.field];
        cells.push(y === null || y === undefined ? '' : String(y));
      }
      buf += cells.join(',') + '\n';
    };
    const step: Step = { open: 0, high: 0, low: 0, close: 0, volume: 0, timeMs: 0, vwap: 0 };
    const emitBar = (b: Bar) => {
      step.open = b.open;
      step.high = b.high;
      step.low = b.low;
      step.close = b.close;
      step.volume = b.volume;
      step.timeMs = b.tsOpenMs;
      step.vwap = b.vwap;
      set.update(step);
      emit({
        time: new Date(b.tsOpenMs).toISOString(),
        open: b.open,
        high: b.high,
        low: b.low,
        close: b.close,
        volume: b.volume,
        vwap: b.vwap,
        trades: b.trades,
      });
    };
    let builder: BarBuilder | undefined;
    const bars: Bar[] = [];
    const onTick = (t: Tick) => {
      if (v.symbol && t.symbol !== v.symbol) return;
      const ms = t.tsExchNs / 1e6;
      if (t.kind === 'quote') {
        set.updateQuote(t.bid, t.bidSize, t.ask, t.askSize);
        if (quoteRows)
          emit({ time: new Date(ms).toISOString(), bid: t.bid, bidSize: t.bidSize, ask: t.ask, askSize: t.askSize });
        return;
      }
      set.updateTrade(t.price, t.size, t.side, ms);
      if (barSpec) {
        builder ??= new BarBuilder(t.venue, t.symbol, barSpec);
        bars.length = 0;
        builder.update(t.price, t.size, ms, bars);
        for (const b of bars) emitBar(b);
        return;
      }
      step.open = step.high = step.low = step.close = step.vwap = t.price;
      step.volume = t.size;
      step.timeMs = ms;
      set.update(step);
      emit({ time: new Date(ms).toISOString(), price: t.price, size: t.size, side: t.side });
    };
    const venue = (v.venue as string | undefined) ?? venueFromFileName(file).venue;
    const proc = new FrameProcessor(
      adapterFor({ venue: FRAME_VENUES.includes(venue as VenueName) ? (venue as VenueName) : 'binance' }),
      onTick,
    );
    let n = 0;
    for await (const r of readRecording(file, { venue: v.venue as string | undefined })) {
      if (r.type === 'frame') proc.onFrame(r.text, r.recvNs);
      else if (r.type === 'tick') proc.onTick(r.tick);
      if (++n % 5000 === 0) await flush();
    }
    if (builder) {
      bars.length = 0;
      builder.flush(bars);
      bars.forEach(emitBar);
    }
    await flush();
    const dropped = dropSummary(proc.stats);
    if (dropped) process.stderr.write(`indicators: ${dropped}; kept ${proc.stats.ticks}\n`);
    return 0;
  },
};
