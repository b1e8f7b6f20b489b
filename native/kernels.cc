// Batch indicator kernels (see kernels.h); the TypeScript fallback in src/native/fallback.ts mirrors each.
#include "kernels.h"
#include <cmath>
#include <limits>

namespace christmas {
static const double kNaN = std::numeric_limits<double>::quiet_NaN();

void ema_batch(const double* in, size_t n, int period, double* out) {
  const size_t p = static_cast<size_t>(period);
  const double k = 2.0 / (period + 1.0);
  double sum = 0.0, ema = 0.0;
  for (size_t i = 0; i < n; ++i) {
    if (i + 1 < p) { sum += in[i]; out[i] = kNaN; continue; }
    if (i + 1 == p) { sum += in[i]; ema = sum / period; out[i] = ema; continue; }
    ema = (in[i] - ema) * k + ema;
    out[i] = ema;
  }
}

void sma_batch(const double* in, size_t n, int period, double* out) {
  // TA-Lib order: add, output, drop the trailing value; sums re-derived every 2^16 values (as src/indicators/sma.ts).
  const size_t p = static_cast<size_t>(period);
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    sum += in[i];
    if (i + 1 >= p) {
      out[i] = sum / period;
      sum -= in[i + 1 - p];
      if (((i + 1) & 0xffff) == 0) { double s = 0.0; for (size_t k = i + 2 - p; k <= i; ++k) s += in[k]; sum = s; }
    } else out[i] = kNaN;
  }
}

void rolling_mean_std(const double* in, size_t n, int window, double* mean_out, double* std_out) {
  // TA-Lib arithmetic (Σx, Σx², var = Σx²/n − mean²), same order and resync as src/indicators/stddev.ts.
  const size_t w = static_cast<size_t>(window);
  double sum = 0.0, sumSq = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double v = in[i];
    sum += v; sumSq += v * v;
    if (i + 1 >= w) {
      const double m1 = sum / window, m2 = sumSq / window;
      double var = m2 - m1 * m1;
      if (var < 0) var = 0;
      mean_out[i] = m1; std_out[i] = std::sqrt(var);
      const double o = in[i + 1 - w];
      sum -= o; sumSq -= o * o;
      if (((i + 1) & 0xffff) == 0) {
        double s = 0.0, q = 0.0;
        for (size_t k = i + 2 - w; k <= i; ++k) { s += in[k]; q += in[k] * in[k]; }
        sum = s; sumSq = q;
      }
    } else { mean_out[i] = kNaN; std_out[i] = kNaN; }
  }
}

void rsi_batch(const double* in, size_t n, int period, double* out) {
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
    out[i] = loss == 0.0 ? (gain == 0.0 ? 50.0 : 100.0) : 100.0 * gain / (gain + loss);
  }
}

void ema_multi_update(const double* in, size_t count, size_t len, double alpha, double* state) {
  for (size_t s = 0; s < count; ++s) {
    double e = state[s];
    const double* row = in + s * len;
    for (size_t i = 0; i < len; ++i) e = std::isnan(e) ? row[i] : e + alpha * (row[i] - e);
    state[s] = e;
  }
}
}  // namespace christmas
