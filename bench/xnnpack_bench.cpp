// Peer: the int8 network of a .kws model file run by XNNPACK (Debian's 2022-02
// build), one thread. Checks it against tinykws's int8 reference executor
// (argmax agreement, per-operator int8 equality; printed to stderr), then
// times per clip the whole network and every operator alone, and the first
// conv (1 input channel) also as our im2col + an XNNPACK GEMM.
//   build-xnn/bench/xnnpack_bench [--model /tmp/seed.kws]
//       [--synthetic 32:3x10,32:3x1d2,32:3x1d4 [--save out.kws]]
//       [--pool_quant calibrated|conv] [--benchmark_repetitions=5 ...]
// --synthetic: a random network on the model's features instead of its own
// (spec: bench/xnnpack/synthetic_model.hpp); --save writes it as a .kws.
// --pool_quant: XNNPACK's pooled tensor is int8; calibrated (default: the
// range of the reference's pooled averages, x1.5) or conv (the last conv's
// scale and zero point, which loses accuracy: see the agreement it prints).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "format/model_file.hpp"
#include "quant/int8_reference.hpp"
#include "xnnpack/im2col_conv.hpp"
#include "xnnpack/inputs.hpp"
#include "xnnpack/synthetic_model.hpp"
#include "xnnpack/xnn_net.hpp"

namespace {

using tinykws::bench::Im2colConv;
using tinykws::bench::Quant;
using tinykws::bench::XnnNet;
using tinykws::format::ModelFile;
using Tensors = std::vector<std::vector<int8_t>>;

std::unique_ptr<XnnNet> g_net;

float LastScale(const ModelFile& m) {
  return m.convs.empty() ? m.input_scale : m.convs.back().output_scale;
}

int8_t QuantizeTo(double real, Quant q) {
  const double v = std::nearbyint(real / q.scale) + q.zero_point;
  return static_cast<int8_t>(std::clamp(v, -128.0, 127.0));
}

tinykws::quant::Int8Trace Reference(const ModelFile& m,
                                    const std::vector<int8_t>& input) {
  const std::vector<float> mfcc =
      tinykws::bench::Dequantize(input, m.input_scale, m.input_zero_point);
  tinykws::quant::Int8Trace trace;
  tinykws::quant::RunInt8Reference(m, mfcc.data(), &trace);
  if (trace.input != input) {
    std::fprintf(stderr, "error: dequantized input does not round-trip\n");
    std::exit(1);
  }
  return trace;
}

// Pooled averages and logits (real) of the reference over inputs: their
// ranges give the int8 quantization of XNNPACK's pooled tensor and logits.
void Calibrate(const ModelFile& m, const Tensors& inputs, bool pool_as_conv,
               Quant* pooled, Quant* logits) {
  float pool_lo = 0, pool_hi = 0, logit_abs = 0;
  const double pool_scale = LastScale(m) / m.dense.pool_count;
  for (const std::vector<int8_t>& input : inputs) {
    const tinykws::quant::Int8Trace t = Reference(m, input);
    for (int32_t s : t.pooled) {
      pool_lo = std::min(pool_lo, static_cast<float>(s * pool_scale));
      pool_hi = std::max(pool_hi, static_cast<float>(s * pool_scale));
    }
    for (float l : t.logits) logit_abs = std::max(logit_abs, std::fabs(l));
  }
  // Headroom (x1.5) for inputs beyond the calibration set's range.
  *pooled = tinykws::bench::QuantForRange(1.5f * pool_lo, 1.5f * pool_hi);
  if (pool_as_conv) {
    *pooled =
        Quant{LastScale(m), m.convs.empty() ? m.input_zero_point
                                            : m.convs.back().output_zero_point};
  }
  // Symmetric, with headroom: logits of other inputs may be larger.
  *logits = Quant{std::max(1.5f * logit_abs, 1e-6f) / 127.0f, 0};
}

// The reference's tensor at every XNNPACK buffer: input, conv outputs, then
// its pooled sums and logits quantized as XNNPACK's pooled tensor and logits.
// Last, one more: the logits from the quantized pooled tensor (what the dense
// operator alone should output, its input being the quantized pooled tensor).
Tensors Expected(const ModelFile& m, const tinykws::quant::Int8Trace& t,
                 Quant pooled, Quant logits) {
  Tensors e{t.input};
  for (const std::vector<int8_t>& a : t.activations) e.push_back(a);
  std::vector<int8_t> p, l, l_from_p;
  const tinykws::format::DenseLayer& d = m.dense;
  const double pool_scale = double{LastScale(m)} / d.pool_count;
  for (int32_t s : t.pooled) p.push_back(QuantizeTo(s * pool_scale, pooled));
  for (float v : t.logits) l.push_back(QuantizeTo(v, logits));
  for (int k = 0; k < d.out_channels; ++k) {
    double acc = d.bias[k];  // at scale output_scales[k]; see xnn_net.cpp
    for (int c = 0; c < d.in_channels; ++c) {
      acc += static_cast<double>(d.weights[k * d.in_channels + c]) *
             (p[c] - pooled.zero_point) * pooled.scale / pool_scale;
    }
    l_from_p.push_back(QuantizeTo(acc * d.output_scales[k], logits));
  }
  e.push_back(p);
  e.push_back(l);
  e.push_back(l_from_p);
  return e;
}

struct Diff {
  int64_t equal = 0, total = 0;
  int max_abs = 0;
  void Add(const int8_t* a, const std::vector<int8_t>& b) {
    for (size_t i = 0; i < b.size(); ++i) {
      const int d = std::abs(int{a[i]} - int{b[i]});
      equal += d == 0;
      max_abs = std::max(max_abs, d);
    }
    total += static_cast<int64_t>(b.size());
  }
};

template <typename T>
int Argmax(const T* v, int n) {
  return static_cast<int>(std::max_element(v, v + n) - v);
}

// Runs XNNPACK and the reference on inputs; prints the argmax agreement, the
// logit error and, per operator, how often XNNPACK's int8 output equals the
// reference's both chained (errors propagate) and alone (fed the reference's
// input). Returns the agreement rate.
double CheckAgreement(const char* name, const ModelFile& m,
                      const Tensors& inputs, Quant pooled, XnnNet* net) {
  const int ops = net->num_ops(), k = net->num_logits();
  std::vector<Diff> chained(ops), alone(ops);
  int agree = 0, near_ties = 0, xnn_ties = 0, near_tie_disagree = 0;
  double max_logit_err = 0, max_logit = 0;
  for (const std::vector<int8_t>& input : inputs) {
    const tinykws::quant::Int8Trace t = Reference(m, input);
    const Tensors e = Expected(m, t, pooled, net->logit_quant());
    std::copy(input.begin(), input.end(), net->buffer(0));
    net->Run();
    for (int i = 0; i < ops; ++i) chained[i].Add(net->buffer(i + 1), e[i + 1]);
    const int8_t* q = net->logits();
    const bool same = Argmax(q, k) == Argmax(t.logits.data(), k);
    agree += same;
    xnn_ties += std::count(q, q + k, *std::max_element(q, q + k)) > 1;
    std::vector<float> sorted = t.logits;
    std::sort(sorted.rbegin(), sorted.rend());
    const bool near_tie =
        k > 1 && sorted[0] - sorted[1] < 2 * net->logit_quant().scale;
    near_ties += near_tie;
    near_tie_disagree += near_tie && !same;
    for (int j = 0; j < k; ++j) {
      const Quant lq = net->logit_quant();
      const double x = (int32_t{q[j]} - lq.zero_point) * double{lq.scale};
      max_logit_err = std::max(max_logit_err, std::fabs(x - t.logits[j]));
      max_logit = std::max(max_logit, std::fabs(double{t.logits[j]}));
    }
    for (int i = 0; i < ops; ++i) {
      std::copy(e[i].begin(), e[i].end(), net->buffer(i));
      net->RunOp(i);
      // The dense operator alone: compare with the logits of its own input.
      alone[i].Add(net->buffer(i + 1), e[i + 1 + (i + 1 == ops)]);
    }
  }
  const double rate = static_cast<double>(agree) / inputs.size();
  std::fprintf(stderr,
               "%s: argmax agreement %d/%zu = %.1f%%; reference top-2 within "
               "2 logit LSB: %d (%d of the disagreements); XNNPACK int8 ties: "
               "%d; max |logit error| %.4g (max |logit| %.4g, LSB %.4g)\n",
               name, agree, inputs.size(), 100 * rate, near_ties,
               near_tie_disagree, xnn_ties, max_logit_err, max_logit,
               net->logit_quant().scale);
  for (int i = 0; i < ops; ++i) {
    std::fprintf(stderr,
                 "  %-40s int8 equal: chained %6.2f%% (max diff %3d), alone "
                 "%6.2f%% (max diff %d)\n",
                 net->op_name(i).c_str(),
                 100.0 * chained[i].equal / chained[i].total,
                 chained[i].max_abs, 100.0 * alone[i].equal / alone[i].total,
                 alone[i].max_abs);
  }
  return rate;
}

void SetCounters(benchmark::State& state, int64_t macs) {
  state.counters["MACs"] = static_cast<double>(macs);
  state.counters["MAC/s"] = benchmark::Counter(
      static_cast<double>(macs), benchmark::Counter::kIsIterationInvariantRate);
}

void BM_Network(benchmark::State& state) {
  for (auto _ : state) {
    g_net->Run();
    benchmark::DoNotOptimize(g_net->logits());
    benchmark::ClobberMemory();
  }
  int64_t macs = 0;
  for (int i = 0; i < g_net->num_ops(); ++i) macs += g_net->op_macs(i);
  SetCounters(state, macs);
}

// conv0 (1 input channel) as im2col + XNNPACK GEMM, on conv0's input.
// gemm_only: just XNNPACK's part (the columns from a previous run).
void BM_Im2colConv0(benchmark::State& state, Im2colConv* conv, bool gemm_only) {
  std::vector<int8_t> out(g_net->buffer_size(1) + 16);
  conv->Run(g_net->buffer(0), out.data());
  for (auto _ : state) {
    if (!gemm_only) conv->Im2col(g_net->buffer(0));
    conv->Gemm(out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  SetCounters(state, g_net->op_macs(0));
}

void BM_Op(benchmark::State& state, int op, const std::string& label) {
  if (!label.empty()) state.SetLabel(label);
  for (auto _ : state) {
    g_net->RunOp(op);
    benchmark::DoNotOptimize(g_net->buffer(op + 1));
    benchmark::ClobberMemory();
  }
  SetCounters(state, g_net->op_macs(op));
}

// Calibrates on 32 inputs, then checks 100 others from the same generator.
double CheckSet(const char* name, const ModelFile& m,
                Tensors (*make)(const ModelFile&, int, uint32_t), uint32_t seed,
                bool pool_as_conv) {
  Quant pooled, logits;
  Calibrate(m, make(m, 32, seed + 100), pool_as_conv, &pooled, &logits);
  std::fprintf(stderr, "%s: pooled scale %.4g zp %d, logits scale %.4g\n", name,
               pooled.scale, pooled.zero_point, logits.scale);
  XnnNet net(m, pooled, logits);
  return CheckAgreement(name, m, make(m, 100, seed), pooled, &net);
}

}  // namespace

int main(int argc, char** argv) {
  std::string model_path = "/tmp/seed.kws", pool_quant = "calibrated";
  std::string synthetic, save;
  int kept = 1;  // drop our flags so that Google Benchmark sees only its own
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 < argc && flag == "--model") {
      model_path = argv[++i];
    } else if (i + 1 < argc && flag == "--pool_quant") {
      pool_quant = argv[++i];
    } else if (i + 1 < argc && flag == "--synthetic") {
      synthetic = argv[++i];
    } else if (i + 1 < argc && flag == "--save") {
      save = argv[++i];
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (pool_quant != "calibrated" && pool_quant != "conv") {
    std::fprintf(stderr, "error: --pool_quant is calibrated or conv\n");
    return 1;
  }

  tinykws::StatusOr<ModelFile> model =
      tinykws::format::ReadModelFile(model_path);
  if (model.ok() && !synthetic.empty()) {
    model = tinykws::bench::SyntheticModel(*model, synthetic, /*seed=*/5);
  }
  tinykws::Status status = model.status();
  if (model.ok() && !save.empty()) {
    status = tinykws::format::WriteModelFile(save, *model);
  }
  if (!model.ok() || !status.ok()) {
    std::fprintf(stderr, "error: %s\n", status.message().c_str());
    return 1;
  }
  const ModelFile& m = *model;
  if (m.precision != tinykws::format::Precision::kInt8 || m.convs.empty()) {
    std::fprintf(stderr, "error: %s: need an int8 model with convs\n",
                 model_path.c_str());
    return 1;
  }
  std::fprintf(stderr, "%s%s%s: %d x %d input, %zu convs, %d labels\n",
               model_path.c_str(), synthetic.empty() ? "" : " --synthetic ",
               synthetic.c_str(), m.features.num_frames(), m.features.num_mfcc,
               m.convs.size(), m.dense.out_channels);

  const bool pool_as_conv = pool_quant == "conv";
  const double agree_mfcc = CheckSet(
      "MFCC-like inputs", m, tinykws::bench::MfccLikeInputs, 1, pool_as_conv);
  const double agree_uniform = CheckSet(
      "uniform int8 inputs", m, tinykws::bench::UniformInputs, 2, pool_as_conv);
  benchmark::AddCustomContext("model", model_path);
  benchmark::AddCustomContext("synthetic", synthetic);
  benchmark::AddCustomContext("pool_quant", pool_quant);
  benchmark::AddCustomContext("argmax_agreement_mfcc_like",
                              std::to_string(agree_mfcc));
  benchmark::AddCustomContext("argmax_agreement_uniform",
                              std::to_string(agree_uniform));

  // Timed: the network calibrated on MFCC-like inputs, on one of them;
  // running it once leaves every operator's input buffer realistic.
  Quant pooled, logits;
  Calibrate(m, tinykws::bench::MfccLikeInputs(m, 32, 101), pool_as_conv,
            &pooled, &logits);
  g_net = std::make_unique<XnnNet>(m, pooled, logits);
  const std::vector<int8_t> input = tinykws::bench::MfccLikeInputs(m, 1, 1)[0];
  std::copy(input.begin(), input.end(), g_net->buffer(0));
  g_net->Run();
  benchmark::RegisterBenchmark("xnnpack/network", BM_Network)
      ->Unit(benchmark::kMicrosecond);
  for (int i = 0; i < g_net->num_ops(); ++i) {
    const bool one_channel = i == 0 && m.convs[0].in_channels == 1;
    benchmark::RegisterBenchmark(
        ("xnnpack/" + g_net->op_name(i)).c_str(), BM_Op, i,
        one_channel ? "first conv, 1 input channel" : std::string())
        ->Unit(benchmark::kMicrosecond);
  }
  std::unique_ptr<Im2colConv> im2col;
  if (m.convs[0].in_channels == 1) {
    const tinykws::format::ConvLayer& c = m.convs[0];
    im2col = std::make_unique<Im2colConv>(
        c, Quant{m.input_scale, m.input_zero_point},
        Quant{c.output_scale, c.output_zero_point});
    int differ = 0;  // vs the direct conv, on all MFCC-like check inputs
    std::vector<int8_t> out(g_net->buffer_size(1));
    for (const std::vector<int8_t>& q :
         tinykws::bench::MfccLikeInputs(m, 100, 1)) {
      std::copy(q.begin(), q.end(), g_net->buffer(0));
      g_net->RunOp(0);
      im2col->Run(g_net->buffer(0), out.data());
      differ += !std::equal(out.begin(), out.end(), g_net->buffer(1));
    }
    std::fprintf(stderr,
                 "conv0 as im2col + XNNPACK GEMM: output differs from the "
                 "direct conv's on %d of 100 inputs\n",
                 differ);
    benchmark::RegisterBenchmark("xnnpack/conv0_as_im2col_gemm", BM_Im2colConv0,
                                 im2col.get(), false)
        ->Unit(benchmark::kMicrosecond);
    benchmark::RegisterBenchmark("xnnpack/conv0_as_im2col_gemm/gemm_only",
                                 BM_Im2colConv0, im2col.get(), true)
        ->Unit(benchmark::kMicrosecond);
  }
  std::copy(input.begin(), input.end(), g_net->buffer(0));
  g_net->Run();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  g_net.reset();
  return 0;
}
