// The native L2 book (node-addon-api ObjectWrap), the same steps as src/book/ts-book.ts: per side sorted keys
// (bid: price, ask: -price, ascending, best last) and sizes; binary search, memmove of the tail, doubling growth.
// One call applies a whole frame's levels for a side from a Float64Array of (price, size) pairs.
#include <napi.h>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

uint32_t kCrcTable[256];
bool InitCrc() {
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    kCrcTable[n] = c;
  }
  return true;
}
const bool kCrcReady = InitCrc();

uint32_t Crc32(const std::string& s) {
  uint32_t c = 0xffffffffu;
  for (unsigned char ch : s) c = kCrcTable[(c ^ ch) & 0xff] ^ (c >> 8);
  return ~c;
}

const double kPow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                           1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Kraken's checksum digits: fixed decimals, '.' removed, leading zeros stripped (one zero is kept for 0). That is
// round(v * 10^decimals) in decimal while it is exact (below 2^53), as book/ts-book.ts takes it; printf past that.
void AppendDigits(std::string* out, double v, int decimals) {
  if (decimals <= 22) {
    const double x = v * kPow10[decimals];
    if (x >= 0 && x < 9007199254740992.0) {
      const double f = std::floor(x);  // JavaScript's Math.round for x >= 0: ties up, x - floor(x) is exact
      unsigned long long n = static_cast<unsigned long long>(x - f >= 0.5 ? f + 1 : f);
      char buf[24];
      int i = sizeof buf;
      do {
        buf[--i] = static_cast<char>('0' + n % 10);
        n /= 10;
      } while (n > 0);
      out->append(buf + i, sizeof buf - i);
      return;
    }
  }
  char buf[400];
  int len = std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  if (len <= 0 || len >= static_cast<int>(sizeof buf)) return;
  std::string s;
  s.reserve(len);
  for (int i = 0; i < len; i++) if (buf[i] != '.') s.push_back(buf[i]);
  size_t i = 0;
  while (i + 1 < s.size() && s[i] == '0') i++;
  out->append(s, i, std::string::npos);
}

struct Side {
  std::vector<double> keys, sizes;
  size_t n = 0;
  explicit Side(size_t capacity) : keys(capacity), sizes(capacity) {}

  size_t LowerBound(double key) const {
    size_t lo = 0, hi = n;
    while (lo < hi) {
      size_t mid = (lo + hi) >> 1;
      if (keys[mid] < key) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  void Set(double key, double size) {
    size_t i = (n > 0 && key > keys[n - 1]) ? n : LowerBound(key);
    if (i < n && keys[i] == key) {
      if (size == 0) {
        std::memmove(&keys[i], &keys[i + 1], (n - i - 1) * sizeof(double));
        std::memmove(&sizes[i], &sizes[i + 1], (n - i - 1) * sizeof(double));
        n--;
      } else {
        sizes[i] = size;
      }
      return;
    }
    if (size == 0) return;
    if (n == keys.size()) { keys.resize(keys.size() * 2); sizes.resize(sizes.size() * 2); }
    std::memmove(&keys[i + 1], &keys[i], (n - i) * sizeof(double));
    std::memmove(&sizes[i + 1], &sizes[i], (n - i) * sizeof(double));
    keys[i] = key;
    sizes[i] = size;
    n++;
  }
};

class Book : public Napi::ObjectWrap<Book> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "NativeBook", {
      InstanceMethod<&Book::Clear>("clear"),
      InstanceMethod<&Book::Apply>("apply"),
      InstanceMethod<&Book::Truncate>("truncate"),
      InstanceMethod<&Book::Levels>("levels"),
      InstanceMethod<&Book::BestPrice>("bestPrice"),
      InstanceMethod<&Book::BestSize>("bestSize"),
      InstanceMethod<&Book::Top>("top"),
      InstanceMethod<&Book::KrakenChecksum>("krakenChecksum"),
    });
  }

  explicit Book(const Napi::CallbackInfo& info)
      : Napi::ObjectWrap<Book>(info), sides_{Side(Capacity(info)), Side(Capacity(info))} {}

 private:
  static size_t Capacity(const Napi::CallbackInfo& info) {
    if (info.Length() > 0 && info[0].IsNumber()) {
      int64_t c = info[0].As<Napi::Number>().Int64Value();
      if (c >= 1 && c <= (1 << 24)) return static_cast<size_t>(c);
    }
    return 64;
  }

  // Side index from a JS value; throws (and returns -1) for anything but 0 or 1.
  int SideOf(const Napi::CallbackInfo& info, size_t at) {
    if (info.Length() > at && info[at].IsNumber()) {
      int s = info[at].As<Napi::Number>().Int32Value();
      if (s == 0 || s == 1) return s;
    }
    Napi::RangeError::New(info.Env(), "side must be 0 (bid) or 1 (ask)").ThrowAsJavaScriptException();
    return -1;
  }

  Napi::Value Clear(const Napi::CallbackInfo& info) {
    sides_[0].n = 0;
    sides_[1].n = 0;
    return info.Env().Undefined();
  }

  Napi::Value Apply(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int sd = SideOf(info, 0);
    if (sd < 0) return env.Undefined();
    if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      Napi::TypeError::New(env, "levels must be a Float64Array").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    auto arr = info[1].As<Napi::Float64Array>();
    int64_t count = info[2].IsNumber() ? info[2].As<Napi::Number>().Int64Value() : -1;
    if (count < 0 || static_cast<size_t>(count) * 2 > arr.ElementLength()) {
      Napi::RangeError::New(env, "count must be between 0 and levels.length / 2").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    const double* lv = arr.Data();
    Side& s = sides_[sd];
    int skipped = 0;
    for (int64_t i = 0; i < count; i++) {
      double price = lv[2 * i], size = lv[2 * i + 1];
      if (!(price > 0 && price < INFINITY) || !(size >= 0 && size < INFINITY)) { skipped++; continue; }
      s.Set(sd == 0 ? price : -price, size);
    }
    return Napi::Number::New(env, skipped);
  }

  Napi::Value Truncate(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    int sd = SideOf(info, 0);
    if (sd < 0) return env.Undefined();
    if (!info[1].IsNumber()) {
      Napi::TypeError::New(env, "keep must be a number").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    double keep = std::floor(info[1].As<Napi::Number>().DoubleValue());
    Side& s = sides_[sd];
    size_t k = keep > 0 ? static_cast<size_t>(keep) : 0;
    if (s.n <= k) return env.Undefined();
    size_t drop = s.n - k;
    std::memmove(&s.keys[0], &s.keys[drop], k * sizeof(double));
    std::memmove(&s.sizes[0], &s.sizes[drop], k * sizeof(double));
    s.n = k;
    return env.Undefined();
  }

  Napi::Value Levels(const Napi::CallbackInfo& info) {
    int sd = SideOf(info, 0);
    if (sd < 0) return info.Env().Undefined();
    return Napi::Number::New(info.Env(), static_cast<double>(sides_[sd].n));
  }

  Napi::Value BestPrice(const Napi::CallbackInfo& info) {
    int sd = SideOf(info, 0);
    if (sd < 0) return info.Env().Undefined();
    const Side& s = sides_[sd];
    if (s.n == 0) return Napi::Number::New(info.Env(), NAN);
    double k = s.keys[s.n - 1];
    return Napi::Number::New(info.Env(), sd == 0 ? k : -k);
  }

  Napi::Value BestSize(const Napi::CallbackInfo& info) {
    int sd = SideOf(info, 0);
    if (sd < 0) return info.Env().Undefined();
    const Side& s = sides_[sd];
    return Napi::Number::New(info.Env(), s.n == 0 ? NAN : s.sizes[s.n - 1]);
  }

  Napi::Value Top(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      Napi::TypeError::New(env, "out must be a Float64Array").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    auto arr = info[0].As<Napi::Float64Array>();
    int64_t depth = info[1].IsNumber() ? info[1].As<Napi::Number>().Int64Value() : -1;
    if (depth < 0 || depth > 65535 || static_cast<size_t>(depth) * 4 > arr.ElementLength()) {
      Napi::RangeError::New(env, "depth must be between 0 and min(65535, out.length / 4)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    double* out = arr.Data();
    double packed = 0;
    for (int sd = 0; sd < 2; sd++) {
      const Side& s = sides_[sd];
      const size_t base = sd * 2 * depth;
      const double sign = sd == 0 ? 1 : -1;
      const size_t m = std::min(static_cast<size_t>(depth), s.n);
      for (size_t k = 0; k < static_cast<size_t>(depth); k++) {
        if (k < m) {
          out[base + 2 * k] = sign * s.keys[s.n - 1 - k];
          out[base + 2 * k + 1] = s.sizes[s.n - 1 - k];
        } else {
          out[base + 2 * k] = NAN;
          out[base + 2 * k + 1] = NAN;
        }
      }
      packed += sd == 0 ? static_cast<double>(m) : static_cast<double>(m) * 65536;
    }
    return Napi::Number::New(env, packed);
  }

  Napi::Value KrakenChecksum(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsNumber() || !info[1].IsNumber()) {
      Napi::TypeError::New(env, "priceDecimals and sizeDecimals must be numbers").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    int pd = info[0].As<Napi::Number>().Int32Value(), qd = info[1].As<Napi::Number>().Int32Value();
    if (pd < 0 || pd > 100 || qd < 0 || qd > 100) {
      Napi::RangeError::New(env, "decimals must be between 0 and 100").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    std::string text;
    text.reserve(512);
    for (int sd : {1, 0}) {
      const Side& s = sides_[sd];
      const double sign = sd == 0 ? 1 : -1;
      const size_t m = std::min<size_t>(10, s.n);
      for (size_t k = 0; k < m; k++) {
        AppendDigits(&text, sign * s.keys[s.n - 1 - k], pd);
        AppendDigits(&text, s.sizes[s.n - 1 - k], qd);
      }
    }
    return Napi::Number::New(env, static_cast<double>(Crc32(text)));
  }

  Side sides_[2];
};

}  // namespace

Napi::Function DefineNativeBook(Napi::Env env) { return Book::Define(env); }
