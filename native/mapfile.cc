// mapFile(path, bytes): a file mapped shared into memory as an ArrayBuffer. Stores into it reach the page cache
// at once, with no syscall, and survive the process being killed (not a machine crash: nothing is fsynced).
// The signal seq checkpoint (src/native/checkpoint.ts) writes the last seq handed out through it.
#include <napi.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <string>

namespace {
void Unmap(Napi::Env, void* data, size_t* bytes) {
  munmap(data, *bytes);
  delete bytes;
}
}  // namespace

Napi::Value MapFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsString() || !info[1].IsNumber()) {
    Napi::TypeError::New(env, "mapFile(path, bytes)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const std::string path = info[0].As<Napi::String>().Utf8Value();
  const int64_t want = info[1].As<Napi::Number>().Int64Value();
  if (want < 8 || want > (1 << 20)) {
    Napi::RangeError::New(env, "bytes must be from 8 to 1048576").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const size_t bytes = static_cast<size_t>(want);
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) {
    Napi::Error::New(env, "mapFile " + path + ": " + std::strerror(errno)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || (static_cast<size_t>(st.st_size) < bytes && ftruncate(fd, static_cast<off_t>(bytes)) != 0)) {
    const int e = errno;
    close(fd);
    Napi::Error::New(env, "mapFile " + path + ": " + std::strerror(e)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  const int e = errno;
  close(fd);
  if (p == MAP_FAILED) {
    Napi::Error::New(env, "mapFile " + path + ": " + std::strerror(e)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::ArrayBuffer::New(env, p, bytes, Unmap, new size_t(bytes));
}
