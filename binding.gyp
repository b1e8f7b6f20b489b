# Builds the christmas N-API module (node-addon-api). -O3 and a portable x86-64 baseline by default;
# `CHRISTMAS_MARCH_NATIVE=1 make build` (scripts/build-native.mjs) opts into -march=native.
{
  "variables": { "march_native%": "0" },
  "targets": [
    {
      "target_name": "christmas_native",
      "sources": ["native/addon.cc", "native/kernels.cc", "native/notify.cc", "native/mapfile.cc", "native/book.cc", "native/clock.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-O2"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno", "-ffp-contract=off"],
      "conditions": [
        ["march_native==1", { "cflags_cc": ["-march=native"] }]
      ]
    }
  ]
}
