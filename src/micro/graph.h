/* The graph code (network.c) and the kernel table it calls. The core's
 * int8 network is one loop over the conv layers and a dense layer over
 * the last layer's pooled outputs; only the convolution itself is the kernel
 * set's. The core's reference kernel (int8 activations, the model's own weight
 * bytes) is what firmware runs; the host library plugs its AVX2, AVX-512
 * and NEON kernels (int16 activations, packed weights: src/runtime/conv_*)
 * in beside it, chosen when a session is created, as TFLite Micro keeps
 * optimized kernels in folders beside its reference ones. */
#ifndef TINYKWS_MICRO_GRAPH_H_
#define TINYKWS_MICRO_GRAPH_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One conv layer as the graph code hands it to a kernel. */
typedef struct {
  const uint8_t* record;    /* the layer's conv record (kws_decode_conv) */
  const int8_t* weights;    /* [out][kh][kw][in], in the model bytes */
  const uint8_t* biases;    /* out x int32 */
  const uint8_t* quant;     /* out x multiplier, out x shift (int32) */
  int32_t input_zero_point; /* of the layer's input */
  /* The first layer's input may be a ring of MFCC rows that starts at this
   * row (the micro's streaming window); 0 for every other layer. */
  int32_t first_row;
} kws_layer;

/* Runs one layer: `prepared` is what the kernel set's prepare step made of
 * it (NULL for the reference kernel), `in` the layer's input and `out` the
 * next layer's, both in the set's layout. The last layer gets out == NULL
 * and adds each output (zero point removed) into pool[channel]. */
typedef void (*kws_conv_kernel)(const kws_layer* layer, const void* prepared,
                                const void* in, void* out, int32_t* pool);

typedef struct {
  const char* name;
  kws_conv_kernel conv;
} kws_kernels;

/* int8 activations in ping-pong buffers (kws_net_sizes_of), weights read
 * straight from the model bytes. */
extern const kws_kernels kws_reference_kernels;

/* What a run needs besides the model: the kernels, their per-layer state,
 * and the buffers. Layer 0 reads inputs[0] (filled by the caller in the
 * set's layout); layer i > 0 reads inputs[1 + (i - 1) % (input_count - 1)]
 * and writes the next one. So 3 buffers ping-pong (the reference kernel,
 * buffers sized by kws_net_sizes_of), and conv_count buffers give each layer
 * its own (the host's kernels: each buffer has its layer's padded shape). */
typedef struct {
  const kws_kernels* kernels;
  const void* const* prepared; /* conv_count entries, or NULL */
  void* const* inputs;
  /* 2 for 2 layers, >= 3 for more (no layer may write what it reads) */
  uint32_t input_count;
  int32_t* pool;
  size_t pool_lanes; /* zeroed at the start of a run; >= dense_in */
} kws_graph;

#ifdef __cplusplus
}
#endif

#endif /* TINYKWS_MICRO_GRAPH_H_ */
