# Cross build for 64-bit ARM Linux (Raspberry Pi 3/4/5 with a 64-bit OS,
# phones, Graviton) with Debian's g++-aarch64-linux-gnu; libraries come from
# Debian multiarch (apt-get install libsndfile1-dev:arm64 ...), and tests run
# under qemu-user. scripts/cross_test.sh sets all of this up.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# Runs the test programs (gtest discovery, build-time model generation, ctest)
# on this machine.
find_program(TINYKWS_QEMU_AARCH64 qemu-aarch64 REQUIRED)
set(CMAKE_CROSSCOMPILING_EMULATOR ${TINYKWS_QEMU_AARCH64})
# Multiarch: arm64 libraries and pkg-config files under /usr/lib/aarch64-linux-gnu.
set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
