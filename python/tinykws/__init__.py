"""tinykws: keyword spotting with .kws models.

    import numpy as np, tinykws
    model = tinykws.Model("go_stop.kws")
    label, scores = model.classify(pcm)           # int16 mono, model.sample_rate
    spotter = tinykws.Spotter(model)
    for d in spotter.push(chunk):                 # any chunk size
        print(f"{d.time_s:.2f} s: {d.label} ({d.score:.2f})")
    features = tinykws.mfcc(pcm, model.features)  # float32 [frames, num_mfcc]

Thread safety: a Model may be shared by any number of threads (Model.classify
makes its own working memory per call); a Session, Spotter or MfccExtractor
serializes calls on itself. Every call releases the GIL while it works.
Errors: ValueError for invalid input (arguments, malformed or unsupported
model files), FileNotFoundError / OSError for files, TypeError for arrays of
another dtype than the call takes; messages are the C++ library's.
"""

from ._tinykws import (
    Detection,
    DetectorParams,
    FeatureConfig,
    FeaturePrecision,
    MfccExtractor,
    Model,
    Session,
    Spotter,
    __version__,
    mfcc,
)

__all__ = [
    "Detection",
    "DetectorParams",
    "FeatureConfig",
    "FeaturePrecision",
    "MfccExtractor",
    "Model",
    "Session",
    "Spotter",
    "__version__",
    "mfcc",
]
