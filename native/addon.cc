// N-API bindings (node-addon-api): the batch kernels (stateless), the L2 book class (book.cc, one instance per
// book, used by the thread that made it) and the OS glue. Safe to load in every worker thread.
#include <napi.h>
#include <string>
#include "kernels.h"

Napi::Value SdNotify(const Napi::CallbackInfo& info);  // notify.cc
Napi::Value MapFile(const Napi::CallbackInfo& info);   // mapfile.cc
Napi::Function DefineNativeBook(Napi::Env env);         // book.cc
Napi::Value ClockOffsetNs(const Napi::CallbackInfo& info);  // clock.cc

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

// An optional trailing state array must hold at least `need` values.
bool OptionalState(const Napi::Env& env, const Napi::Value& v, size_t need, double** out) {
  *out = nullptr;
  if (v.IsUndefined()) return true;
  if (!CheckF64(env, v, "state")) return false;
  auto st = v.As<Napi::Float64Array>();
  if (st.ElementLength() < need) {
    Napi::RangeError::New(env, "state must hold at least " + std::to_string(need) + " values").ThrowAsJavaScriptException();
    return false;
  }
  *out = st.Data();
  return true;
}

// (input, period, output[, state]) kernels share one shape.
template <void (*Kernel)(const double*, size_t, int, double*, double*), size_t StateLen>
Napi::Value PeriodKernel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int period;
  double* state;
  if (!CheckF64(env, info[0], "values") || !CheckPeriod(env, info[1], "period", &period) || !CheckF64(env, info[2], "out")) return env.Undefined();
  auto in = info[0].As<Napi::Float64Array>(); auto out = info[2].As<Napi::Float64Array>();
  if (!CheckSameLength(env, in, out) || !OptionalState(env, info[3], StateLen, &state)) return env.Undefined();
  Kernel(in.Data(), in.ElementLength(), period, out.Data(), state);
  return env.Undefined();
}

Napi::Value RollingMeanStd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int window;
  double* state;
  if (!CheckF64(env, info[0], "values") || !CheckPeriod(env, info[1], "window", &window) ||
      !CheckF64(env, info[2], "meanOut") || !CheckF64(env, info[3], "stdOut")) return env.Undefined();
  auto in = info[0].As<Napi::Float64Array>();
  auto m = info[2].As<Napi::Float64Array>(); auto s = info[3].As<Napi::Float64Array>();
  if (!CheckSameLength(env, in, m) || !CheckSameLength(env, in, s) || !OptionalState(env, info[4], 10, &state)) return env.Undefined();
  christmas::rolling_mean_std(in.Data(), in.ElementLength(), window, m.Data(), s.Data(), state);
  return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("emaBatch", Napi::Function::New(env, PeriodKernel<christmas::ema_batch, 1>, "emaBatch"));
  exports.Set("rsiBatch", Napi::Function::New(env, PeriodKernel<christmas::rsi_batch, 3>, "rsiBatch"));
  exports.Set("rollingMeanStd", Napi::Function::New(env, RollingMeanStd, "rollingMeanStd"));
  exports.Set("sdNotify", Napi::Function::New(env, SdNotify, "sdNotify"));
  exports.Set("mapFile", Napi::Function::New(env, MapFile, "mapFile"));
  exports.Set("NativeBook", DefineNativeBook(env));
  exports.Set("clockOffsetNs", Napi::Function::New(env, ClockOffsetNs, "clockOffsetNs"));
  return exports;
}
}  // namespace

NODE_API_MODULE(christmas_native, Init)
