"""The C API of libtinykws.so (include/tinykws/tinykws.h) through ctypes: the
independent reference the Python module is compared with, bit for bit."""

import ctypes

import numpy as np


class KwsResult(ctypes.Structure):
    _fields_ = [
        ("label", ctypes.c_int),
        ("score", ctypes.c_float),
        ("scores", ctypes.POINTER(ctypes.c_float)),
        ("num_labels", ctypes.c_int),
        ("mfcc_us", ctypes.c_double),
        ("inference_us", ctypes.c_double),
    ]


class KwsSessionParams(ctypes.Structure):
    _fields_ = [("use_simd", ctypes.c_int)]


class KwsSpotterParams(ctypes.Structure):
    _fields_ = [
        ("hop_frames", ctypes.c_int),
        ("smoothing_runs", ctypes.c_int),
        ("refractory_ms", ctypes.c_float),
        ("use_simd", ctypes.c_int),
    ]


class KwsDetection(ctypes.Structure):
    _fields_ = [
        ("label", ctypes.c_int),
        ("score", ctypes.c_float),
        ("sample", ctypes.c_int64),
        ("time_s", ctypes.c_double),
    ]


DETECTION_CALLBACK = ctypes.CFUNCTYPE(
    None, ctypes.POINTER(KwsDetection), ctypes.c_void_p)

_P = ctypes.c_void_p
_SIGNATURES = {
    "kws_model_load": (ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(_P),
                                      ctypes.POINTER(_P)]),
    "kws_model_load_from_buffer": (ctypes.c_int, [ctypes.c_char_p,
                                                  ctypes.c_size_t,
                                                  ctypes.POINTER(_P),
                                                  ctypes.POINTER(_P)]),
    "kws_model_free": (None, [_P]),
    "kws_model_num_labels": (ctypes.c_int, [_P]),
    "kws_model_label": (ctypes.c_char_p, [_P, ctypes.c_int]),
    "kws_session_create": (ctypes.c_int, [_P, KwsSessionParams,
                                          ctypes.POINTER(_P),
                                          ctypes.POINTER(_P)]),
    "kws_session_free": (None, [_P]),
    "kws_classify": (ctypes.c_int, [_P, ctypes.POINTER(ctypes.c_int16),
                                    ctypes.c_size_t, ctypes.c_int,
                                    ctypes.POINTER(KwsResult)]),
    "kws_session_last_error": (ctypes.c_char_p, [_P]),
    "kws_spotter_default_params": (KwsSpotterParams, []),
    "kws_spotter_create": (ctypes.c_int, [_P, KwsSpotterParams,
                                          ctypes.POINTER(_P),
                                          ctypes.POINTER(_P)]),
    "kws_spotter_free": (None, [_P]),
    "kws_spotter_push": (ctypes.c_int, [_P, ctypes.POINTER(ctypes.c_int16),
                                        ctypes.c_size_t, ctypes.c_int,
                                        DETECTION_CALLBACK, ctypes.c_void_p]),
    "kws_spotter_last_error": (ctypes.c_char_p, [_P]),
    "kws_error_message": (ctypes.c_char_p, [_P]),
    "kws_error_free": (None, [_P]),
}


class CApiError(Exception):
    """A failed C API call: its status code and message."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


class CApi:
    def __init__(self, library_path):
        self.lib = ctypes.CDLL(str(library_path))
        for name, (restype, argtypes) in _SIGNATURES.items():
            function = getattr(self.lib, name)
            function.restype = restype
            function.argtypes = argtypes

    def _raise_with(self, status, error):
        message = self.lib.kws_error_message(error).decode()
        self.lib.kws_error_free(error)
        raise CApiError(status, message)

    def load_model(self, path):
        model, error = _P(), _P()
        status = self.lib.kws_model_load(
            str(path).encode(), ctypes.byref(model), ctypes.byref(error))
        if status != 0:
            self._raise_with(status, error)
        return model

    def load_model_from_buffer(self, data):
        model, error = _P(), _P()
        status = self.lib.kws_model_load_from_buffer(
            data, len(data), ctypes.byref(model), ctypes.byref(error))
        if status != 0:
            self._raise_with(status, error)
        return model

    def label(self, model, index):
        return self.lib.kws_model_label(model, index).decode()

    def classify(self, model, pcm, sample_rate, use_simd=True):
        """(label, scores) as kws_classify gives them."""
        session, error = _P(), _P()
        status = self.lib.kws_session_create(
            model, KwsSessionParams(int(use_simd)), ctypes.byref(session),
            ctypes.byref(error))
        if status != 0:
            self._raise_with(status, error)
        try:
            pcm = np.ascontiguousarray(pcm, dtype=np.int16)
            result = KwsResult()
            status = self.lib.kws_classify(
                session, pcm.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)),
                pcm.size, sample_rate, ctypes.byref(result))
            if status != 0:
                raise CApiError(
                    status, self.lib.kws_session_last_error(session).decode())
            scores = np.ctypeslib.as_array(
                result.scores, shape=(result.num_labels,)).copy()
            return self.label(model, result.label), scores
        finally:
            self.lib.kws_session_free(session)

    def spot(self, model, pcm, sample_rate, chunk, hop_frames=0,
             smoothing_runs=0, refractory_ms=-1.0):
        """[(label, score, sample, time_s)] from kws_spotter_push, pushing
        `chunk` samples at a time."""
        params = self.lib.kws_spotter_default_params()
        params.hop_frames = hop_frames
        params.smoothing_runs = smoothing_runs
        params.refractory_ms = refractory_ms
        spotter, error = _P(), _P()
        status = self.lib.kws_spotter_create(
            model, params, ctypes.byref(spotter), ctypes.byref(error))
        if status != 0:
            self._raise_with(status, error)
        found = []

        def on_detection(detection, _user):
            d = detection.contents
            found.append((self.label(model, d.label), d.score, d.sample,
                          d.time_s))

        callback = DETECTION_CALLBACK(on_detection)
        try:
            pcm = np.ascontiguousarray(pcm, dtype=np.int16)
            for start in range(0, pcm.size, chunk):
                part = pcm[start:start + chunk]
                status = self.lib.kws_spotter_push(
                    spotter,
                    part.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)),
                    part.size, sample_rate, callback, None)
                if status != 0:
                    raise CApiError(
                        status,
                        self.lib.kws_spotter_last_error(spotter).decode())
            return found
        finally:
            self.lib.kws_spotter_free(spotter)

    def free_model(self, model):
        self.lib.kws_model_free(model)
