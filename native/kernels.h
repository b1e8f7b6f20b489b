// Batch indicator kernels: plain C++ over double arrays, no Node types, no global state.
#pragma once
#include <cstddef>

namespace christmas {
// EMA with TA-Lib seeding (SMA of the first `period` values); out[i] = NaN before index period-1.
void ema_batch(const double* in, size_t n, int period, double* out);
// Simple moving average (anchored compensated sum, exact for equal values); NaN before index period-1.
void sma_batch(const double* in, size_t n, int period, double* out);
// Rolling population mean and standard deviation over `window` values (anchored compensated sums; σ = 0
// exactly for a window of equal values).
void rolling_mean_std(const double* in, size_t n, int window, double* mean_out, double* std_out);
// Wilder RSI, TA-Lib's flat convention (0 when average gain + loss < 1e-14); first value at index `period`.
void rsi_batch(const double* in, size_t n, int period, double* out);
// Runs EMA over `count` series laid out back to back (each of length `len`), one state per series;
// states (prev EMA) are read from and written to `state` so live updates continue where it stopped.
void ema_multi_update(const double* in, size_t count, size_t len, double alpha, double* state);
}
