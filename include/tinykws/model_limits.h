/* tinykws: the numbers the .kws model file and the detector are defined by,
 * in one place. The C99 core (micro.h), the C++ writer and reader and the
 * command lines all read them from here; docs/model-format.md explains
 * them. Plain macros so C99 and C++ share them, installed so firmware can
 * size its buffers from them. */
#ifndef TINYKWS_MODEL_LIMITS_H_
#define TINYKWS_MODEL_LIMITS_H_

/* ---- Container ---- */
#define KWS_FORMAT_VERSION_FIRST 1  /* float64 front end: written as 1 */
#define KWS_FORMAT_VERSION_NEWEST 2 /* the newest version this build reads */
#define KWS_HEADER_BYTES 64
#define KWS_SECTION_ENTRY_BYTES 32
#define KWS_SECTION_ALIGNMENT 64 /* every payload starts at a multiple */
#define KWS_MAX_SECTIONS 32

/* Section types (unknown types are skipped after their CRC check). */
#define KWS_SECTION_FEATURES 1
#define KWS_SECTION_LABELS 2
#define KWS_SECTION_GRAPH 3
#define KWS_SECTION_WEIGHTS 4
#define KWS_SECTION_BIASES 5
#define KWS_SECTION_QUANT 6 /* optional (int8 models have it) */
#define KWS_SECTION_METADATA 7
#define KWS_SECTION_DETECTOR 8 /* optional: the defaults below apply */
#define KWS_NUM_SECTION_TYPES 8

/* Fixed record sizes in bytes. */
#define KWS_FEATURES_BYTES_V1 36
#define KWS_FEATURES_BYTES_V2 40 /* + the front end's precision */
#define KWS_GRAPH_HEAD_BYTES 16  /* precision, input scale/zp, conv count */
#define KWS_CONV_RECORD_BYTES 76
#define KWS_DENSE_RECORD_BYTES 12
#define KWS_DETECTOR_HEAD_BYTES 12 /* then one f32 threshold per label */

/* ---- Limits: far beyond any keyword-spotting model, small enough that
 * nothing sized from a file can exhaust memory or overflow 64-bit
 * arithmetic. ---- */
#define KWS_MIN_LABELS 2
#define KWS_MAX_LABELS 1000
#define KWS_MAX_LABEL_BYTES 256
#define KWS_MAX_CONVS 64
#define KWS_MAX_CHANNELS 1024
#define KWS_MAX_KERNEL 64
#define KWS_MAX_STRIDE 8
#define KWS_MAX_DILATION 8
#define KWS_MAX_TOTAL_WEIGHTS (1L << 24)
#define KWS_MAX_ACTIVATION_VALUES (1L << 24) /* height x width x channels */
#define KWS_MAX_METADATA_PAIRS 256
#define KWS_MAX_METADATA_KEY_BYTES 256
#define KWS_MAX_METADATA_VALUE_BYTES 65536
#define KWS_MAX_FRAMES 4096 /* MFCC frames per clip */
/* What running a model may cost: multiply-accumulates per network run and
 * the working memory of a C++ spotter (its session plus stream buffers). */
#define KWS_MAX_MACS_PER_RUN (1ULL << 31)
#define KWS_MAX_WORKING_SET_BYTES (64ULL << 20)
/* Feature config. */
#define KWS_MAX_SAMPLE_RATE 192000
#define KWS_MAX_CLIP_SAMPLES (10 * 60 * KWS_MAX_SAMPLE_RATE)
#define KWS_MIN_FRAME_LENGTH 4
#define KWS_MAX_FRAME_LENGTH 16384
#define KWS_MAX_MEL_BINS 512
/* Requantization: Q31 multipliers in [2^30, 2^31), right shifts only. */
#define KWS_MIN_MULTIPLIER (1L << 30)
#define KWS_MIN_SHIFT (-31)
#define KWS_MAX_SHIFT 0

/* ---- Detector ---- */
/* Used when a model has no 'detector' section. */
#define KWS_DEFAULT_HOP_FRAMES 2
#define KWS_DEFAULT_SMOOTHING_RUNS 3
#define KWS_DEFAULT_REFRACTORY_MS 1000.0f
#define KWS_DEFAULT_THRESHOLD 0.9f
/* Limits of the fields (hop_frames: 1 .. the model's frames per clip). */
#define KWS_MAX_SMOOTHING_RUNS 64
#define KWS_MAX_REFRACTORY_MS 60000.0f

#endif /* TINYKWS_MODEL_LIMITS_H_ */
