// kws convert: a model file as C source, for firmware that links the model
// into flash and runs it in place with the micro runtime (tinykws/micro.h);
// with --tables also the MFCC tables blob (kws_micro_write_tables), so the
// runtime's arena holds only buffers and state. --format onnx / tflite write
// the same graph for ONNX Runtime and TFLite (docs/deploy.md).
#include <sys/stat.h>

#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.hpp"
#include "common/atomic_file.hpp"
#include "format/layout.hpp"
#include "format/model_file.hpp"
#include "interop/onnx_writer.hpp"
#include "interop/tflite_writer.hpp"
#include "tinykws/micro.h"

namespace kws {

namespace {

struct ConvertParams {
  std::string model_path, out_path, format = "c-array", name;
  bool force = false, tables = false;
};

// "models/go-stop.v2.c" -> "go_stop_v2": a C identifier from the file name.
std::string IdentifierFromPath(const std::string& path) {
  std::string stem = path.substr(path.find_last_of('/') + 1);
  const size_t dot = stem.rfind('.');
  if (dot != std::string::npos && dot > 0) stem.resize(dot);
  std::string id;
  for (char c : stem) {
    id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  }
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0]))) {
    id = "model_" + id;
  }
  return id;
}

bool IsIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) {
    return false;
  }
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// The bytes as a C array initializer body, 12 a line.
std::string HexLines(const std::string& bytes) {
  std::string out;
  char hex[8];
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i % 12 == 0) out += "   ";
    std::snprintf(hex, sizeof hex, " 0x%02x,",
                  static_cast<unsigned char>(bytes[i]));
    out += hex;
    if (i % 12 == 11 || i + 1 == bytes.size()) out += "\n";
  }
  return out;
}

// tables: the tables blob, or empty for none.
std::string CArray(const std::string& bytes, const std::string& tables,
                   const std::string& name, const std::string& source) {
  const std::string size = std::to_string(bytes.size());
  const std::string tables_size = std::to_string(tables.size());
  std::string out = "/* " + source + " as C source, written by kws convert " +
                    "(tinykws " + TINYKWS_VERSION +
                    ").\n"
                    " * Declare it where it is used:\n"
                    " *   extern const uint8_t " +
                    name + "[];\n *   extern const size_t " + name + "_size;\n";
  if (tables.empty()) {
    out += " * and run it in place: kws_micro_arena_size(" + name + ", " +
           name + "_size, ...) (tinykws/micro.h). */\n";
  } else {
    out += " *   extern const uint8_t " + name + "_tables[];\n" +
           " *   extern const size_t " + name + "_tables_size;\n" +
           " * and run it in place with its MFCC tables in flash:\n"
           " *   kws_micro_init_with_tables(" +
           name + ", " + name + "_size, " + name + "_tables, " + name +
           "_tables_size, ...)\n"
           " * (tinykws/micro.h). The tables must be 8-byte aligned: GCC and\n"
           " * Clang align them below; with another compiler, align the array\n"
           " * with its own pragma or attribute (the runtime refuses\n"
           " * misaligned tables). */\n";
  }
  out +=
      "#include <stddef.h>\n#include <stdint.h>\n\n"
      "const size_t " +
      name + "_size = " + size + ";\nconst uint8_t " + name + "[" + size +
      "] = {\n" + HexLines(bytes) + "};\n";
  if (!tables.empty()) {
    out += "\nconst size_t " + name + "_tables_size = " + tables_size +
           ";\n"
           "#if defined(__GNUC__) || defined(__clang__)\n"
           "__attribute__((aligned(8)))\n"
           "#endif\n"
           "const uint8_t " +
           name + "_tables[" + tables_size + "] = {\n" + HexLines(tables) +
           "};\n";
  }
  return out;
}

// The model's tables blob (kws_micro_write_tables), or an error.
tinykws::StatusOr<std::string> TablesBlob(const std::string& bytes,
                                          const std::string& path) {
  const auto* model = reinterpret_cast<const uint8_t*>(bytes.data());
  char error[256] = "";
  size_t size = 0;
  if (kws_micro_tables_size(model, bytes.size(), &size, error, sizeof error) !=
      KWS_MICRO_OK) {
    return tinykws::InvalidArgument(path + ": " + error);
  }
  std::vector<uint64_t> blob((size + 7) / 8);  // 8-byte aligned
  if (kws_micro_write_tables(model, bytes.size(), blob.data(), size, error,
                             sizeof error) != KWS_MICRO_OK) {
    return tinykws::InvalidArgument(path + ": " + error);
  }
  return std::string(reinterpret_cast<const char*>(blob.data()), size);
}

// --format onnx / tflite: the graph in another runtime's file format.
int RunInterop(const ConvertParams& p) {
  tinykws::StatusOr<tinykws::format::ModelFile> model =
      tinykws::format::ReadModelFile(p.model_path);
  if (!model.ok()) return ReportError(model.status());
  tinykws::StatusOr<std::string> bytes =
      p.format == "onnx" ? tinykws::interop::ToOnnx(*model)
                         : tinykws::interop::ToTflite(*model);
  if (!bytes.ok()) {
    return ReportError(tinykws::Status(
        bytes.status().code(), p.model_path + ": " + bytes.status().message()));
  }
  tinykws::Status s = tinykws::WriteFileAtomically(p.out_path, *bytes);
  if (!s.ok()) return ReportError(s);
  std::printf("wrote %s: %s, %zu bytes (%s, labels", p.out_path.c_str(),
              p.format.c_str(), bytes->size(),
              model->precision == tinykws::format::Precision::kInt8
                  ? "int8"
                  : "float32");
  for (const std::string& label : model->labels) {
    std::printf(" %s", label.c_str());
  }
  std::printf(")\n");
  return 0;
}

int RunConvert(const ConvertParams& p) {
  struct stat st {};
  if (!p.force && ::stat(p.out_path.c_str(), &st) == 0) {
    return ReportError(tinykws::InvalidArgument(
        p.out_path + ": exists (use --force to replace it)"));
  }
  if (p.format != "c-array") {
    if (p.tables || !p.name.empty()) {
      return ReportUsageError(tinykws::InvalidArgument(
          "--tables and --name apply to --format c-array only"));
    }
    tinykws::Status s = tinykws::CheckOutputFolder(p.out_path);
    if (!s.ok()) return ReportError(s);
    return RunInterop(p);
  }
  const std::string name =
      p.name.empty() ? IdentifierFromPath(p.out_path) : p.name;
  if (!IsIdentifier(name)) {
    return ReportError(tinykws::InvalidArgument("--name '" + name +
                                                "' is not a C identifier"));
  }
  tinykws::Status s = tinykws::CheckOutputFolder(p.out_path);
  if (!s.ok()) return ReportError(s);
  tinykws::StatusOr<std::string> bytes =
      tinykws::ReadWholeFile(p.model_path, tinykws::format::kMaxFileBytes);
  if (!bytes.ok()) return ReportError(bytes.status());
  // Only a model the runtime accepts is worth flashing.
  tinykws::StatusOr<tinykws::format::ModelFile> model =
      tinykws::format::Parse(*bytes, p.model_path);
  if (!model.ok()) return ReportError(model.status());
  std::string tables;
  if (p.tables) {
    // The micro runtime's own tables (and its reader's verdict on the model).
    tinykws::StatusOr<std::string> blob = TablesBlob(*bytes, p.model_path);
    if (!blob.ok()) return ReportError(blob.status());
    tables = std::move(*blob);
  }
  s = tinykws::WriteFileAtomically(p.out_path,
                                   CArray(*bytes, tables, name, p.model_path));
  if (!s.ok()) return ReportError(s);
  std::printf("wrote %s: %s[%zu] (%s front end)", p.out_path.c_str(),
              name.c_str(), bytes->size(),
              tinykws::FeaturePrecisionName(model->features.precision));
  if (p.tables) {
    std::printf(", %s_tables[%zu]", name.c_str(), tables.size());
  }
  std::printf("\n");
  return 0;
}

}  // namespace

void AddConvertCommand(CLI::App& app, int* exit_code) {
  auto p = std::make_shared<ConvertParams>();
  CLI::App* cmd = app.add_subcommand(
      "convert",
      "Write a model file as C source (a const uint8_t array) for the micro "
      "runtime to run in place from flash, or as an ONNX or TFLite model "
      "(docs/deploy.md).");
  cmd->add_option("--model", p->model_path, "Model file (.kws)")->required();
  cmd->add_option("--out", p->out_path, "File to write")->required();
  cmd->add_option("--format", p->format,
                  "c-array (C source for the micro runtime), onnx or tflite")
      ->check(CLI::IsMember({"c-array", "onnx", "tflite"}))
      ->capture_default_str();
  cmd->add_option("--name", p->name,
                  "Array name (default: from the --out file name)");
  cmd->add_flag("--tables", p->tables,
                "Also write the MFCC tables (NAME_tables, 8-byte aligned) for "
                "kws_micro_init_with_tables: a smaller arena");
  cmd->add_flag("--force", p->force, "Replace --out if it exists");
  cmd->callback([p, exit_code] { *exit_code = RunConvert(*p); });
}

}  // namespace kws
