// The recording reader's line splitting (chunked, one await a batch): CRLF ends, a last line without a newline,
// lines longer than a read chunk, multi-byte UTF-8 across chunk edges, gzip; and the same records as a plain
// line-by-line read of the real files.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readRecording, readRecordingBatches } from '../../src/feed/replay/readers.js';
import { shared } from '../helpers.js';
import type { Tick } from '../../src/model/tick.js';

const dir = mkdtempSync(path.join(tmpdir(), 'christmas-readers-'));
const all = async (file: string) => {
  const out = [];
  for await (const r of readRecording(file)) out.push(r);
  return out;
};

test('CRLF, no final newline, a 300 KB line and multi-byte characters across chunk edges', async () => {
  const long = `{"pad":"${'é'.repeat(150_000)}"}`;
  const lines = ['1617647603.1: {"a":1}', `1617647603.2: ${long}`, '1617647603.3: {"b":"ünï"}'];
  const file = path.join(dir, 'x.cryptofeed.log');
  writeFileSync(file, 'configuration: {}\r\n' + lines.join('\r\n'));
  const recs = await all(file);
  assert.equal(
    recs.map((r) => (r.type === 'frame' ? r.text : '')),
    ['{"a":1}', long, '{"b":"ünï"}'],
  );
  const gz = path.join(dir, 'x.cryptofeed.log.gz');
  writeFileSync(gz, gzipSync(readFileSync(file)));
  assert.equal(await all(gz), recs);
  let batches = 0;
  for await (const b of readRecordingBatches(file)) batches += b.length > 0 ? 1 : 0;
  assert.ok(batches >= 1);
});

test('CSV cells read as Number() reads them: digits, leading zeros, decimals, signs, exponents, blanks, long ids', async () => {
  const d = mkdtempSync(path.join(tmpdir(), 'christmas-cells-'));
  const file = path.join(d, 'binance-spot-BTCUSDT-trades-cells.csv');
  const rows = [
    ['1', '61837.63000000', '0.02', '1723161255342', '1723161255343', 'true', '1723161254087896568'],
    ['0002', '007', '10', '0001723161255342', '', 'false', '999999999999999'],
    ['3', '1e3', '+5', '1723161255342.5', '', '1', '9999999999999999'],
    ['9007199254740993', ' 12 ', '-1', '', '', 'false', ''],
    ['5', '\u00a012.5', 'é', '1723161255342', '', 'True', '1723161254087896568'], // NBSP is white space to Number()
  ];
  writeFileSync(
    file,
    'trade_id,price,qty,trade_time_ms,event_time_ms,is_buyer_maker,recv_time_ns\r\n' +
      rows.map((r) => r.join(',')).join('\r\n'), // CRLF, and no line break after the last row
  );
  const got: Array<{ id: number; price: number; size: number; tsExchNs: number; tsRecvNs: number }> = [];
  for await (const r of readRecording(file)) if (r.type === 'tick') got.push(r.tick);
  const num = (c: string) => (c.trim() === '' ? NaN : Number(c));
  assert.is(got.length, rows.length);
  rows.forEach((r, i) => {
    const t = got[i]!;
    const id = num(r[0]!);
    assert.equal(
      [t.id, t.price, t.size, t.tsExchNs, t.tsRecvNs],
      [Number.isSafeInteger(id) ? id : -1, num(r[1]!), num(r[2]!), num(r[3]!) * 1e6, num(r[6]!)],
      `row ${i}`,
    );
  });
  rmSync(d, { recursive: true, force: true });
});

test('LEAN trade CSVs with and without their header: line numbers as trade ids, suspicious rows left out', async () => {
  const d = mkdtempSync(path.join(tmpdir(), 'christmas-lean-'));
  const rows = ['14417034,167.4200,210,Q,2000,0', '14726965,167.3300,200,Q,20002020,1', '14726966,167.35,5,P,0,0'];
  const dayStartMs = Date.UTC(2013, 9, 8) + 4 * 3600_000;
  for (const header of [false, true]) {
    const file = path.join(d, `lean-SPY-trade-ticks-20131008${header ? '-h' : ''}.csv`);
    writeFileSync(
      file,
      (header ? 'ms_since_midnight_ET,price,size,exchange,sale_condition,suspicious\n' : '') + rows.join('\n') + '\n',
    );
    const got: Tick[] = [];
    for await (const r of readRecording(file)) if (r.type === 'tick') got.push(r.tick);
    const first = header ? 2 : 1;
    assert.equal(
      got.map((t) => [t.id, t.tsExchNs, t.price, t.size]),
      [
        [first, (dayStartMs + 14417034) * 1e6, 167.42, 210],
        [first + 2, (dayStartMs + 14726966) * 1e6, 167.35, 5],
      ],
      header ? 'with a header' : 'without one',
    );
  }
  rmSync(d, { recursive: true, force: true });
});

test('the real recordings read record for record as a plain split of their lines', async () => {
  for (const rel of [
    'messages/binance-spot-session-20240808.log.gz',
    'ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv',
  ]) {
    const file = shared(rel);
    const raw = file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
    const lines = raw.split('\n').filter((l) => l.length > 0);
    const recs = await all(file);
    const expected = rel.endsWith('.csv') ? lines.length - 1 : lines.length; // the CSV header is no record
    assert.is(recs.length, expected, rel);
    if (rel.endsWith('.gz')) {
      const last = lines[lines.length - 1]!;
      const r = recs[recs.length - 1]!;
      assert.is(r.type === 'frame' ? r.text : '', last.slice(last.indexOf(' ') + 1));
    }
  }
});

test('every bundled CSV reads tick for tick as Number() reads its cells, by column name', async () => {
  const num = (c: string | undefined) => (c === undefined || c.trim() === '' ? NaN : Number(c));
  for (const rel of [
    'ticks/binance-spot-BTCUSDT-trades-20240808T2354Z-20240809T0005Z.csv',
    'ticks/binance-usdm-BTCUSDT-trades-20240808T2354Z.csv', // one column more, before recv_time_ns
    'ticks/binance-spot-BTCUSDT-bookTicker-20240809T0000Z.csv',
    'ticks/lean-SPY-trade-ticks-20131008.csv.gz',
  ]) {
    const file = shared(rel);
    const raw = file.endsWith('.gz') ? gunzipSync(readFileSync(file)).toString('utf8') : readFileSync(file, 'utf8');
    const lines = raw.split(/\r?\n/).filter((l) => l.length > 0); // CRLF like LF, as the reader takes them
    const lean = rel.includes('lean-');
    const names = lean ? ['ms', 'price', 'size', 'exchange', 'condition', 'suspicious'] : lines[0]!.split(',');
    const rows = lines
      .slice(1)
      .map((l) => Object.fromEntries(l.split(',').map((c, i) => [names[i]!, c])) as Record<string, string>);
    const ticks: Tick[] = [];
    for await (const r of readRecording(file)) if (r.type === 'tick') ticks.push(r.tick);
    const kept = lean ? rows.filter((r) => r.suspicious !== '1') : rows;
    assert.is(ticks.length, kept.length, rel);
    const dayStartMs = Date.UTC(2013, 9, 8) + 4 * 3600_000; // 2013-10-08, US Eastern daylight time
    kept.forEach((r, i) => {
      const t = ticks[i]!;
      const want = lean
        ? [(dayStartMs + num(r.ms)) * 1e6, num(r.price), num(r.size)]
        : r.bid !== undefined
          ? [Number(r.update_id), num(r.bid), num(r.bid_qty), num(r.ask), num(r.ask_qty), num(r.recv_time_ns)]
          : [
              Number(r.trade_id),
              num(r.price),
              num(r.qty),
              num(r.trade_time_ms) * 1e6,
              num(r.recv_time_ns),
              r.is_buyer_maker,
            ];
      const got = lean
        ? [t.tsExchNs, t.price, t.size]
        : r.bid !== undefined
          ? [t.id, t.bid, t.bidSize, t.ask, t.askSize, t.tsRecvNs]
          : [t.id, t.price, t.size, t.tsExchNs, t.tsRecvNs, t.side === 'sell' ? 'true' : 'false'];
      if (JSON.stringify(got) !== JSON.stringify(want)) assert.equal(got, want, `${rel} row ${i + 1}`);
    });
    assert.ok(
      ticks.every((t) => Number.isFinite(t.tsRecvNs)),
      `${rel}: every tick has its receive time`,
    );
  }
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
test.run();
