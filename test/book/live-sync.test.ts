// Live book sync end to end on loopback: `serve-replay` serves the real 2021 Binance session (depth streams and
// the REST depth endpoint on one port) with dropped frames and forced disconnects; `christmas run --print books`
// syncs from it. Every book ends equal to the reference book built here from the complete recording, every
// symbol resyncs on its own, the snapshot requests the server saw stay inside the configured weight budget, and
// the run's --record recording (frames and snapshots) replays to exactly the books the live run printed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { playBinance, recordsOf } from './reference.js';
import { cliPath, shared, until } from '../helpers.js';

const session = shared('messages/binance-spot-session-2021-04-05.cryptofeed.log');
const SYMBOLS = [
  'BTCAUD',
  'MANAUSDT',
  'ETHBRL',
  'DENTUSDT',
  'ZILUSDT',
  'RENBTCETH',
  'BTCSTUSDT',
  'QTUMETH',
  'AXSBNB',
  'NEOUSDC',
];
const DEPTH = 5;
const WEIGHT_PER_MINUTE = 3000;

function start(
  args: string[],
  env: Record<string, string> = {},
): { child: ChildProcess; out: () => string; err: () => string } {
  const child = spawn(process.execPath, [cliPath, ...args], {
    env: { ...process.env, CHRISTMAS_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '',
    err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2_000_000)));
  return { child, out: () => out, err: () => err };
}

/** The reference: the complete recording through the sync code, top DEPTH of each final book. */
async function referenceTops(): Promise<Map<string, string>> {
  const { books } = playBinance(await recordsOf(session));
  const tops = new Map<string, string>();
  const out = new Float64Array(4 * DEPTH);
  for (const b of books.all()) {
    const packed = b.book.top(out, DEPTH);
    const side = (base: number, n: number) =>
      Array.from({ length: n }, (_, k) => [out[base + 2 * k], out[base + 2 * k + 1]]);
    tops.set(
      b.symbol,
      JSON.stringify({ updateId: b.lastId, bids: side(0, packed & 0xffff), asks: side(2 * DEPTH, packed >>> 16) }),
    );
  }
  return tops;
}

/** Lines grouped per symbol in their order (pool shards keep each symbol's order, not the order across them). */
function bySymbol(lines: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of lines) (out[(JSON.parse(l) as { symbol: string }).symbol] ??= []).push(l);
  return out;
}

for (const mode of ['inline', 'pool'] as const)
  test(`compute.mode ${mode}: serve-replay with drops and disconnects -> run: every book ends equal to the reference, within budget`, async () => {
    const expected = await referenceTops();
    assert.is(expected.size, 10);
    const dir = mkdtempSync(path.join(tmpdir(), 'christmas-books-'));
    const server = start([
      'serve-replay',
      session,
      '--port',
      '0',
      '--speed',
      '8',
      '--drop-every',
      '300',
      '--disconnect-every',
      '4',
    ]);
    let daemon: ReturnType<typeof start> | undefined;
    try {
      await until(() => server.out().includes('"listening"'), 15_000, 'serve-replay to listen');
      const info = JSON.parse(server.out().split('\n')[0]!) as { listening: string; rest: string };
      assert.ok(info.rest, 'the recording has depth: serve-replay offers the REST endpoint');
      const cfg = {
        feeds: [
          {
            venue: 'binance',
            url: info.listening,
            symbols: SYMBOLS,
            channels: ['aggTrade', 'bookTicker', 'depth'],
            restUrl: info.rest,
            snapshotWeightPerMinute: WEIGHT_PER_MINUTE,
          },
        ],
        signals: { socket: path.join(dir, 'sig.sock') },
        spool: { dir: path.join(dir, 'spool') },
        metrics: { listen: '' },
        compute: mode === 'pool' ? { mode, workers: 2 } : { mode },
      };
      writeFileSync(path.join(dir, 'cfg.json'), JSON.stringify(cfg));
      daemon = start([
        'run',
        '--config',
        path.join(dir, 'cfg.json'),
        '--no-store',
        '--no-persist',
        '--print',
        'books',
        '--depth',
        String(DEPTH),
        '--record',
        path.join(dir, 'rec'),
      ]);
      const lastBySymbol = () => {
        const last = new Map<string, string>();
        for (const line of daemon!.out().split('\n')) {
          if (!line.startsWith('{')) continue;
          const l = JSON.parse(line) as { symbol: string; updateId: number; bids: unknown; asks: unknown };
          last.set(l.symbol, JSON.stringify({ updateId: l.updateId, bids: l.bids, asks: l.asks }));
        }
        return last;
      };
      await until(() => server.err().includes('"end":true'), 90_000, 'serve-replay to serve the whole recording');
      await until(
        () => {
          const last = lastBySymbol();
          return SYMBOLS.every((s) => last.get(s) === expected.get(s));
        },
        30_000,
        'every book to equal the reference',
      ).catch((err: Error) => {
        const last = lastBySymbol();
        const differ = SYMBOLS.filter((s) => last.get(s) !== expected.get(s)).map(
          (s) => `${s}: got ${last.get(s)} want ${expected.get(s)}`,
        );
        throw new Error(`${err.message}\n${differ.join('\n')}`);
      });
      const end = JSON.parse(
        server
          .err()
          .split('\n')
          .find((l) => l.includes('"end":true'))!,
      ) as {
        dropped: number;
        disconnects: number;
        depthSnapshots: { requests: number; weight: number };
      };
      assert.ok(end.dropped > 10, `${end.dropped} frames dropped`);
      const invalid = daemon
        .err()
        .split('\n')
        .filter((l) => l.includes('invalid: resyncing'));
      assert.ok(invalid.length > 0, 'drops made books invalid');
      const resynced = new Set(invalid.map((l) => (JSON.parse(l) as { symbol: string }).symbol));
      assert.ok(resynced.size < 10 || invalid.length >= 10, 'resyncs are per symbol');
      // Weight in budget: the first burst (4 requests) plus the per-minute rate since the first request.
      assert.ok(end.depthSnapshots.requests >= 10 + 1, `${end.depthSnapshots.requests} snapshot requests`);
      assert.ok(
        end.depthSnapshots.weight <= 4 * 50 + ((90 + 30) / 60) * WEIGHT_PER_MINUTE,
        `weight ${end.depthSnapshots.weight}`,
      );
      assert.not.match(daemon.err(), / {4}at /);
      // The recording (frames and the REST snapshots between them) replays to the same books as the live run.
      const liveLines = daemon.out().trim().split('\n');
      daemon.child.kill('SIGTERM');
      await new Promise((r) => daemon!.child.once('exit', r));
      const recorded = readdirSync(path.join(dir, 'rec')).map((f) => path.join(dir, 'rec', f));
      const replayed = spawnSync(
        process.execPath,
        [cliPath, 'replay', ...recorded, '--print', 'books', '--depth', String(DEPTH)],
        {
          encoding: 'utf8',
          env: { ...process.env, CHRISTMAS_LOG_LEVEL: 'warn' },
          maxBuffer: 256 << 20,
        },
      );
      assert.is(replayed.status, 0, replayed.stderr);
      const replayedLines = replayed.stdout.trim().split('\n');
      if (mode === 'inline') assert.equal(replayedLines, liveLines);
      else assert.equal(bySymbol(replayedLines), bySymbol(liveLines));
    } finally {
      daemon?.child.kill('SIGTERM');
      server.child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });

test.run();
