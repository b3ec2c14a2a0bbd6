#!/usr/bin/env python3
"""Spot keywords in a WAV file, or live in raw 16-bit PCM on standard input.

    python3 spot_wav.py --model go_stop.kws recording.wav
    arecord -t raw -f S16_LE -r 16000 -c 1 | python3 spot_wav.py --model go_stop.kws -

Prints one line per detection as it happens, as `kws spot` does:
time in seconds, label and score, separated by tabs. A WAV file must be
16-bit mono PCM; a rate other than the model's (44.1 or 48 kHz, ...) is
converted by the library, as is raw PCM given with --rate.
Exit status: 0 on success, 1 on an error (printed as "error: ..."),
2 on a usage error.
"""

import argparse
import sys
import wave

import numpy as np

import tinykws

CHUNK_SECONDS = 0.1  # a push every 100 ms: detections print promptly


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Spot keywords in a WAV file or in raw S16_LE mono PCM "
                    "on standard input ('-').")
    parser.add_argument("--model", required=True, help="model file (.kws)")
    parser.add_argument("input", help="WAV file, or - for raw PCM on stdin")
    parser.add_argument("--rate", type=int,
                        help="sample rate of the raw PCM on stdin "
                             "(default: the model's)")
    parser.add_argument("--threshold", action="append", default=[],
                        metavar="LABEL=VALUE",
                        help="override a keyword's threshold (repeatable)")
    args = parser.parse_args(argv)
    if args.rate is not None and args.input != "-":
        parser.error("--rate is for raw PCM on stdin ('-'); WAV files carry "
                     "their rate")
    thresholds = {}
    for item in args.threshold:
        label, _, value = item.partition("=")
        try:
            thresholds[label] = float(value)
        except ValueError:
            parser.error(f"--threshold expects LABEL=VALUE, got '{item}'")
    args.thresholds = thresholds or None
    return args


def wav_chunks(path):
    """(sample rate, iterator of int16 chunks) of a 16-bit mono WAV file."""
    reader = wave.open(path, "rb")
    if reader.getsampwidth() != 2 or reader.getnchannels() != 1:
        reader.close()
        raise ValueError(f"{path}: expected 16-bit mono PCM, got "
                         f"{8 * reader.getsampwidth()}-bit with "
                         f"{reader.getnchannels()} channels")
    rate = reader.getframerate()

    def chunks():
        with reader:
            while True:
                data = reader.readframes(int(rate * CHUNK_SECONDS))
                if not data:
                    return
                yield np.frombuffer(data, dtype="<i2")

    return rate, chunks()


def stdin_chunks(rate):
    """int16 chunks of raw little-endian PCM as it arrives on stdin."""
    stream = sys.stdin.buffer
    block = 2 * int(rate * CHUNK_SECONDS)
    held = b""  # an odd trailing byte waits for its pair
    while True:
        data = stream.read(block)
        if not data:
            return
        data = held + data
        even = len(data) - len(data) % 2
        held = data[even:]
        yield np.frombuffer(data[:even], dtype="<i2")


def main(argv):
    args = parse_args(argv)
    try:
        model = tinykws.Model(args.model)
        if args.input == "-":
            rate = args.rate or model.sample_rate
            chunks = stdin_chunks(rate)
        else:
            rate, chunks = wav_chunks(args.input)
        spotter = tinykws.Spotter(model, thresholds=args.thresholds,
                                  input_sample_rate=rate)
        for chunk in chunks:
            for d in spotter.push(chunk):
                print(f"{d.time_s:.3f}\t{d.label}\t{d.score:.6f}", flush=True)
    except (OSError, ValueError, EOFError, wave.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C ends a live session quietly
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
