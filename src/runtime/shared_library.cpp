// libtinykws.so is assembled from the runtime's static libraries (see
// CMakeLists.txt); a shared library target needs one source of its own.
namespace tinykws {
int shared_library_anchor = 0;
}  // namespace tinykws
