// Batch indicator kernels: plain C++ over double arrays, no Node types, no global state. Each may also write the
// streaming indicator's state after the last value into `state` (null: not wanted), so a warm-up over a history
// window continues live exactly where streaming the same values would have (src/indicators/*.ts warmFrom).
#pragma once
#include <cstddef>

namespace christmas {
// EMA with TA-Lib seeding (SMA of the first `period` values); out[i] = NaN before index period-1.
// state[0] = the seed sum (running while fewer than `period` values).
void ema_batch(const double* in, size_t n, int period, double* out, double* state);
// Rolling population mean and standard deviation over `window` values (anchored compensated sums; σ = 0
// exactly for a window of equal values). state = anchor, s1 hi, s1 lo, s2 hi, s2 lo, last value, run of equal
// values, updates since the anchor moved, mean − anchor, variance (the last two NaN before a full window).
void rolling_mean_std(const double* in, size_t n, int window, double* mean_out, double* std_out, double* state);
// Wilder RSI, TA-Lib's flat convention (0 when average gain + loss < 1e-14); first value at index `period`.
// state = last value, average (or, while seeding, summed) gain, loss.
void rsi_batch(const double* in, size_t n, int period, double* out, double* state);
}
