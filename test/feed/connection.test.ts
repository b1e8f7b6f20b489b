// A live FeedConnection against the replay WebSocket server with injected disconnects, stalls, duplicates
// and corruption: every valid tick arrives exactly once, in order, and the counters match the faults.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shared, until, sleep, repoRoot } from '../helpers.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadFrames, type ServedFrame } from '../../src/feed/replay/frames.js';
import { ReplayServer, type FaultOptions } from '../../src/feed/replay/server.js';
import { FeedConnection } from '../../src/feed/connection.js';
import { adapterFor } from '../../src/feed/adapters.js';
import { FrameProcessor } from '../../src/feed/processor.js';
import type { Tick } from '../../src/model/tick.js';
import type { FeedConfig } from '../../src/config/types.js';

let frames: ServedFrame[];
let expected: Tick[];
test.before(async () => {
  frames = (await loadFrames([shared('messages/binance-spot-session-20240809.log.gz')])).slice(0, 6000);
  expected = [];
  const p = new FrameProcessor(adapterFor({ venue: 'binance' }), (t) => expected.push(t));
  for (const f of frames) p.onFrame(f.text, f.recvNs);
});

/** A Binance feed client on the replay server's URL, collecting every tick. */
function binanceClient(url: string, feedOpts: Partial<FeedConfig> = {}): { conn: FeedConnection; got: Tick[] } {
  const got: Tick[] = [];
  const conn = new FeedConnection({
    feed: {
      venue: 'binance',
      url,
      symbols: ['BTCUSDT'],
      channels: ['trade', 'bookTicker'],
      staleAfterMs: 400,
      maxConnectionAgeMs: 0,
      ...feedOpts,
    },
    adapter: adapterFor({ venue: 'binance' }),
    reconnect: { initialDelayMs: 10, maxDelayMs: 100 },
    sink: (t) => got.push(t),
  });
  return { conn, got };
}

async function runWith(
  faults: Partial<FaultOptions>,
  rate: number,
  feedOpts: Partial<FeedConfig> = {},
  resendUnconfirmed = false,
) {
  const server = new ReplayServer({
    frames,
    port: 0,
    rate,
    speed: 1,
    loop: false,
    pingIntervalMs: 200,
    faults,
    rewindOnReconnect: 500,
    resendUnconfirmed,
  });
  const { conn, got } = binanceClient(await server.start(), feedOpts);
  conn.start();
  await until(() => server.stats.ended, 60_000, 'server sent the whole recording');
  // Settled: the client's count held for 150 ms with the run still ended (a resend can reopen it).
  let seen = -1;
  await until(
    async () => {
      const n = got.length,
        settled = n === seen && server.stats.ended;
      seen = n;
      if (!settled) await sleep(150);
      return settled;
    },
    60_000,
    'the client read everything sent',
  );
  await conn.stop();
  await server.stop();
  return { got, conn, server };
}

function sameTicks(got: Tick[], want: Tick[]): void {
  assert.is(got.length, want.length, 'tick count');
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!,
      w = want[i]!;
    if (
      g.kind !== w.kind ||
      g.id !== w.id ||
      !Object.is(g.price, w.price) ||
      !Object.is(g.bid, w.bid) ||
      (w.kind === 'trade' && g.tsExchNs !== w.tsExchNs)
    )
      assert.unreachable(`tick ${i} differs: ${JSON.stringify(g)} vs ${JSON.stringify(w)}`);
  }
}

test('clean run: subscribes like Binance and receives every tick in order', async () => {
  // A silence limit past the settling wait: after the last frame the feed goes quiet and must not reconnect.
  const { got, conn, server } = await runWith({}, 20_000, { staleAfterMs: 5_000 });
  sameTicks(got, expected);
  assert.is(conn.stats.malformedTotal, 0);
  assert.is(conn.stats.duplicates, 0);
  assert.is(server.stats.connections, 1);
});

test('duplicates and corrupted frames: dropped and counted, every valid tick once and in order', async () => {
  const { got, conn, server } = await runWith({ duplicateEvery: 7, corruptEvery: 11 }, 20_000);
  sameTicks(got, expected);
  assert.is(conn.stats.malformedTotal, server.stats.corrupted);
  const dupTicks = conn.stats.duplicates;
  assert.ok(
    dupTicks > 0 && dupTicks <= server.stats.duplicated,
    `${dupTicks} duplicate ticks from ${server.stats.duplicated} duplicated frames`,
  );
});

test('disconnect storms and stalls: reconnect, resubscribe, mark gaps; nothing lost, nothing doubled', async () => {
  // The server re-sends whatever the client had not confirmed when its socket died (ping/pong after each
  // turn): with a fixed rewind, a catch-up burst after a stall lost frames in flight under CPU load.
  const { got, conn, server } = await runWith(
    { disconnectEveryMs: 150, stallEveryMs: 700, stallForMs: 600 },
    8_000,
    {},
    true,
  );
  sameTicks(got, expected);
  assert.ok(server.stats.disconnects >= 2, `${server.stats.disconnects} disconnects injected`);
  assert.ok(conn.stats.reconnects >= server.stats.disconnects, `${conn.stats.reconnects} reconnects`);
  assert.ok(conn.stats.duplicates > 0, 'the venue re-sent frames around each reconnect; the client dropped them');
  assert.ok(
    conn.processor.sequence.recentGaps.some((g) => g.reason === 'reconnect'),
    'the downtime is recorded as a gap',
  );
  assert.ok(conn.stats.staleEvents >= 1, 'a 600 ms stall passes the 400 ms silence limit');
});

test('looping venue with resends: a rewind across a lap boundary re-sends the right frames, and every trade sent arrives once', async () => {
  const lapFrames = frames.slice(0, 700);
  const sentIds = new Set<number>();
  let lapsBack = 0,
    lastLap = 0;
  const server = new ReplayServer({
    frames: lapFrames,
    port: 0,
    rate: 10_000,
    speed: 1,
    loop: true,
    pingIntervalMs: 200,
    faults: { disconnectEveryMs: 120 },
    rewindOnReconnect: 500,
    resendUnconfirmed: true,
    onSend: (text) => {
      const m = /"t":(\d+)/.exec(text);
      if (m) sentIds.add(Number(m[1]));
      if (server.stats.laps < lastLap) lapsBack++;
      lastLap = server.stats.laps;
    },
  });
  const { conn, got } = binanceClient(await server.start(), { staleAfterMs: 5000 });
  conn.start();
  await until(() => server.stats.laps >= 8, 60_000, 'eight laps served');
  await server.stop(); // waits for the client to confirm the last frame sent
  await conn.stop();
  const gotIds = got.filter((t) => t.kind === 'trade').map((t) => t.id);
  const gotSet = new Set(gotIds);
  const missing = [...sentIds].filter((id) => !gotSet.has(id));
  assert.is(
    missing.length,
    0,
    `${missing.length} trades sent and never received, first ${missing.slice(0, 3).join(', ')}`,
  );
  assert.is(gotSet.size, gotIds.length, 'no trade twice (the client drops the re-sent ones)');
  assert.ok(server.stats.disconnects >= 4, `${server.stats.disconnects} disconnects`);
  assert.ok(lapsBack >= 1, 'at least one rewind stepped back into the previous lap');
});

test('dropped frames become counted trade-id gaps', async () => {
  const { got, conn, server } = await runWith({ dropEvery: 50 }, 20_000);
  assert.ok(server.stats.dropped > 50);
  assert.ok(got.length < expected.length);
  assert.ok(conn.stats.gaps > 10, `${conn.stats.gaps} gaps`);
  assert.is(
    conn.processor.sequence.missingTrades,
    expected.filter((t) => t.kind === 'trade').length - got.filter((t) => t.kind === 'trade').length,
  );
});

test('Upbit over binary frames: the text keep-alive is answered, every frame parsed, nothing counted malformed but the bad ones', async () => {
  const lines = readFileSync(path.join(repoRoot, 'test/fixtures/upbit/frames.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);
  const server = new ReplayServer({
    frames: lines.map((text, i) => ({ recvNs: i * 1e6, text })),
    port: 0,
    rate: 200,
    speed: 1,
    loop: false,
    pingIntervalMs: 1000,
    faults: {},
    binaryFrames: true,
  });
  const url = await server.start();
  const got: Tick[] = [];
  const conn = new FeedConnection({
    feed: {
      venue: 'upbit',
      url,
      symbols: ['KRW-BTC', 'KRW-ETH'],
      channels: ['trade', 'bookTicker'],
      staleAfterMs: 5000,
      maxConnectionAgeMs: 0,
    },
    adapter: adapterFor({ venue: 'upbit' }),
    reconnect: { initialDelayMs: 10, maxDelayMs: 100 },
    sink: (t) => got.push(t),
  });
  conn.start();
  await until(() => server.stats.ended, 10_000, 'server sent every frame');
  await sleep(200);
  await conn.stop();
  await server.stop();
  assert.is(got.length, 5);
  assert.is(conn.stats.malformedTotal, 2, 'the error reply and the bad size, not the binary frames');
  assert.is(conn.stats.malformed.get('binary'), undefined);
});

test.run();
