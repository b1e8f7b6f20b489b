// clockOffsetNs(): CLOCK_REALTIME minus CLOCK_MONOTONIC in nanoseconds, as a BigInt. libuv's hrtime (behind
// process.hrtime and performance.now) reads CLOCK_MONOTONIC, so this offset turns the monotonic clock into epoch
// nanoseconds at ns precision (src/telemetry/clock.ts anchors the process clock with it once). Each sample reads
// the realtime clock between two monotonic reads; the tightest of 64 samples is used, its midpoint taken.
#include <napi.h>
#include <time.h>
#include <cstdint>

namespace {
int64_t Read(clockid_t id) {
  timespec ts;
  clock_gettime(id, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}
}  // namespace

Napi::Value ClockOffsetNs(const Napi::CallbackInfo& info) {
  int64_t best_gap = INT64_MAX, best_offset = 0;
  for (int i = 0; i < 64; i++) {
    const int64_t m0 = Read(CLOCK_MONOTONIC);
    const int64_t r = Read(CLOCK_REALTIME);
    const int64_t m1 = Read(CLOCK_MONOTONIC);
    if (m1 - m0 < best_gap) {
      best_gap = m1 - m0;
      best_offset = r - (m0 + (m1 - m0) / 2);
    }
  }
  return Napi::BigInt::New(info.Env(), best_offset);
}
