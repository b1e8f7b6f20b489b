// N-API bindings (node-addon-api) for the batch kernels. Stateless: safe to load in every worker thread.
#include <napi.h>
#include "kernels.h"

Napi::Value SdNotify(const Napi::CallbackInfo& info);  // notify.cc

namespace {
bool CheckF64(const Napi::Env& env, const Napi::Value& v, const char* name) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    Napi::TypeError::New(env, std::string(name) + " must be a Float64Array").ThrowAsJavaScriptException();
    return false;
  }
  return true;
}
bool CheckPeriod(const Napi::Env& env, const Napi::Value& v, const char* name, int* out) {
  if (!v.IsNumber()) { Napi::TypeError::New(env, std::string(name) + " must be a number").ThrowAsJavaScriptException(); return false; }
  const int p = v.As<Napi::Number>().Int32Value();
  if (p < 1) { Napi::RangeError::New(env, std::string(name) + " must be >= 1").ThrowAsJavaScriptException(); return false; }
  *out = p; return true;
}
bool CheckSameLength(const Napi::Env& env, const Napi::Float64Array& a, const Napi::Float64Array& b) {
  if (a.ElementLength() != b.ElementLength()) { Napi::RangeError::New(env, "output length must equal input length").ThrowAsJavaScriptException(); return false; }
  return true;
}

// (input, period, output) kernels share one shape.
template <void (*Kernel)(const double*, size_t, int, double*)>
Napi::Value PeriodKernel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int period;
  if (!CheckF64(env, info[0], "values") || !CheckPeriod(env, info[1], "period", &period) || !CheckF64(env, info[2], "out")) return env.Undefined();
  auto in = info[0].As<Napi::Float64Array>(); auto out = info[2].As<Napi::Float64Array>();
  if (!CheckSameLength(env, in, out)) return env.Undefined();
  Kernel(in.Data(), in.ElementLength(), period, out.Data());
  return env.Undefined();
}

Napi::Value RollingMeanStd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int window;
  if (!CheckF64(env, info[0], "values") || !CheckPeriod(env, info[1], "window", &window) ||
      !CheckF64(env, info[2], "meanOut") || !CheckF64(env, info[3], "stdOut")) return env.Undefined();
  auto in = info[0].As<Napi::Float64Array>();
  auto m = info[2].As<Napi::Float64Array>(); auto s = info[3].As<Napi::Float64Array>();
  if (!CheckSameLength(env, in, m) || !CheckSameLength(env, in, s)) return env.Undefined();
  christmas::rolling_mean_std(in.Data(), in.ElementLength(), window, m.Data(), s.Data());
  return env.Undefined();
}

Napi::Value EmaMultiUpdate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckF64(env, info[0], "values") || !info[1].IsNumber() || !info[2].IsNumber() || !CheckF64(env, info[3], "state")) {
    if (!env.IsExceptionPending()) Napi::TypeError::New(env, "emaMultiUpdate(values, len, alpha, state)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto in = info[0].As<Napi::Float64Array>(); auto state = info[3].As<Napi::Float64Array>();
  const int64_t len = info[1].As<Napi::Number>().Int64Value();
  const double alpha = info[2].As<Napi::Number>().DoubleValue();
  if (len < 1 || static_cast<size_t>(len) * state.ElementLength() != in.ElementLength()) {
    Napi::RangeError::New(env, "values.length must equal len * state.length").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  christmas::ema_multi_update(in.Data(), state.ElementLength(), static_cast<size_t>(len), alpha, state.Data());
  return env.Undefined();
}

Napi::Value Noop(const Napi::CallbackInfo& info) { return info.Env().Undefined(); }

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("emaBatch", Napi::Function::New(env, PeriodKernel<christmas::ema_batch>, "emaBatch"));
  exports.Set("smaBatch", Napi::Function::New(env, PeriodKernel<christmas::sma_batch>, "smaBatch"));
  exports.Set("rsiBatch", Napi::Function::New(env, PeriodKernel<christmas::rsi_batch>, "rsiBatch"));
  exports.Set("rollingMeanStd", Napi::Function::New(env, RollingMeanStd, "rollingMeanStd"));
  exports.Set("emaMultiUpdate", Napi::Function::New(env, EmaMultiUpdate, "emaMultiUpdate"));
  exports.Set("sdNotify", Napi::Function::New(env, SdNotify, "sdNotify"));
  exports.Set("noop", Napi::Function::New(env, Noop, "noop"));
  return exports;
}
}  // namespace

NODE_API_MODULE(christmas_native, Init)
