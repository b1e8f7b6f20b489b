// Batch indicator kernels (see kernels.h); the TypeScript fallback in src/native/fallback.ts mirrors each.
#include "kernels.h"
#include <cmath>
#include <limits>

namespace christmas {
static const double kNaN = std::numeric_limits<double>::quiet_NaN();
// Shared with src/indicators/stddev.ts (REANCHOR_RATIO, REANCHOR_EVERY) and src/indicators/rsi.ts (RSI_ZERO).
static const double kReanchorRatio = 64.0;
static const double kRsiZero = 1e-14;
static const size_t kReanchorEvery = size_t(1) << 20;

void ema_batch(const double* in, size_t n, int period, double* out, double* state) {
  const size_t p = static_cast<size_t>(period);
  const double k = 2.0 / (period + 1.0);
  double sum = 0.0, ema = 0.0;
  for (size_t i = 0; i < n; ++i) {
    if (i + 1 < p) { sum += in[i]; out[i] = kNaN; continue; }
    if (i + 1 == p) { sum += in[i]; ema = sum / period; out[i] = ema; continue; }
    ema = (in[i] - ema) * k + ema;
    out[i] = ema;
  }
  if (state) state[0] = sum;
}

// Compensated (TwoSum) step: the operations of src/indicators/compensated.ts in the same order (the build sets
// -ffp-contract=off, so nothing here is fused into an FMA the TypeScript side cannot do).
static inline void two_sum(double& hi, double& lo, double t) {
  const double s = hi + t;
  const double b = s - hi;
  lo += hi - (s - b) + (t - b);
  hi = s;
}

void rolling_mean_std(const double* in, size_t n, int window, double* mean_out, double* std_out, double* state) {
  // Deviations from an anchor in compensated sums (one term per update each: x − out and d² − o²), re-anchored at
  // the mean when (mean − anchor)² passes kReanchorRatio variances or every kReanchorEvery updates; a window of
  // equal values has σ exactly 0 (src/indicators/stddev.ts).
  const size_t w = static_cast<size_t>(window);
  const double inv = 1.0 / window;
  double a = kNaN, s1h = 0.0, s1l = 0.0, s2h = 0.0, s2l = 0.0, last = kNaN;
  size_t run = 0, since = 0;
  double mean_dev = kNaN, variance = kNaN;
  for (size_t i = 0; i < n; ++i) {
    const double x = in[i];
    if (i == 0) a = x;
    const double d = x - a;
    double t1 = d, t2 = d * d;
    if (i >= w) {
      const double out = in[i - w], o = out - a;
      t1 = x - out;
      t2 = d * d - o * o;
    }
    two_sum(s1h, s1l, t1);
    two_sum(s2h, s2l, t2);
    run = x == last ? run + 1 : 1;
    last = x;
    if (i + 1 < w) { mean_out[i] = kNaN; std_out[i] = kNaN; continue; }
    if (run >= w) { mean_out[i] = x; std_out[i] = 0.0; mean_dev = x - a; variance = 0.0; continue; }
    double md = (s1h + s1l) * inv;
    double var = (s2h + s2l) * inv - md * md;
    if (md * md > kReanchorRatio * var || ++since >= kReanchorEvery) {
      a = a + md;
      since = 0;
      s1h = s1l = s2h = s2l = 0.0;
      for (size_t k = i + 1 - w; k <= i; ++k) {
        const double e = in[k] - a, q = e * e;
        two_sum(s1h, s1l, e);
        two_sum(s2h, s2l, q);
      }
      md = (s1h + s1l) * inv;
      var = (s2h + s2l) * inv - md * md;
    }
    if (var < 0) var = 0;
    mean_dev = md;
    variance = var;
    mean_out[i] = a + md;
    std_out[i] = std::sqrt(var);
  }
  if (state) {
    state[0] = a; state[1] = s1h; state[2] = s1l; state[3] = s2h; state[4] = s2l; state[5] = last;
    state[6] = static_cast<double>(run); state[7] = static_cast<double>(since); state[8] = mean_dev; state[9] = variance;
  }
}

void rsi_batch(const double* in, size_t n, int period, double* out, double* state) {
  // Wilder RSI; TA-Lib's flat convention: 0 while average gain + loss < kRsiZero (src/indicators/rsi.ts).
  double gain = 0.0, loss = 0.0;
  const double keep = static_cast<double>(period - 1) / period, take = 1.0 / period;
  for (size_t i = 0; i < n; ++i) {
    if (i == 0) { out[i] = kNaN; continue; }
    const double ch = in[i] - in[i - 1];
    const double g = ch > 0 ? ch : 0.0, l = ch < 0 ? -ch : 0.0;
    if (i <= static_cast<size_t>(period)) {
      gain += g; loss += l;
      if (i < static_cast<size_t>(period)) { out[i] = kNaN; continue; }
      gain /= period; loss /= period;
    } else {
      gain = gain * keep + g * take;
      loss = loss * keep + l * take;
    }
    const double total = gain + loss;
    out[i] = total < kRsiZero ? 0.0 : (100.0 * gain) / total;
  }
  if (state) { state[0] = n ? in[n - 1] : kNaN; state[1] = gain; state[2] = loss; }
}

}  // namespace christmas
