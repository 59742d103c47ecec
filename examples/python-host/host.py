#!/usr/bin/env python3
"""A casecheck host in Python, using ctypes and nothing outside the standard library.

Usage: host.py PLUGIN_PATH REQUEST_JSON_FILE

It loads the plugin, checks one request document and prints one line per
prompt, then "prompts: N". Vendors can copy the Casecheck class as it is: it
mirrors sdk/include/casecheck/casecheck.h (ABI 1.0) and is the only part that
knows about C.
"""

import ctypes
import json
import os
import sys

ABI_MAJOR = 1
ENTRY_SYMBOL = "casecheck_get_api"

# The clock is pinned so that the demo's output is the same on every run.
DEMO_CONFIG = {"as_of": "2026-03-06T09:00:00Z"}

STATUS_OK = 0

# CASECHECK_CALL is the platform's C convention, which is what CFUNCTYPE uses.
# Outputs of type char** are POINTER(c_void_p), not POINTER(c_char_p): a
# c_char_p result is turned into a Python bytes copy and the address is lost,
# while free_buffer needs the plugin's pointer back unchanged.
_VersionFn = ctypes.CFUNCTYPE(ctypes.c_char_p)
_StatusNameFn = ctypes.CFUNCTYPE(ctypes.c_char_p, ctypes.c_int32)
_EngineCreateFn = ctypes.CFUNCTYPE(
    ctypes.c_int32,                   # casecheck_status
    ctypes.c_char_p,                  # const char* config_json
    ctypes.c_size_t,                  # size_t config_len
    ctypes.POINTER(ctypes.c_void_p),  # casecheck_engine** out_engine
    ctypes.POINTER(ctypes.c_void_p),  # char** out_error
    ctypes.POINTER(ctypes.c_size_t),  # size_t* out_error_len
)
_EngineDestroyFn = ctypes.CFUNCTYPE(None, ctypes.c_void_p)
_CheckFn = ctypes.CFUNCTYPE(
    ctypes.c_int32,                   # casecheck_status
    ctypes.c_void_p,                  # const casecheck_engine* engine
    ctypes.c_char_p,                  # const char* request_json
    ctypes.c_size_t,                  # size_t request_len
    ctypes.POINTER(ctypes.c_void_p),  # char** out
    ctypes.POINTER(ctypes.c_size_t),  # size_t* out_len
)
_FreeBufferFn = ctypes.CFUNCTYPE(None, ctypes.c_void_p)


class _Api(ctypes.Structure):
    """casecheck_api, field for field; the order and types are the ABI."""

    _fields_ = [
        ("struct_size", ctypes.c_uint32),
        ("abi_major", ctypes.c_uint32),
        ("abi_minor", ctypes.c_uint32),
        ("reserved", ctypes.c_uint32),
        ("version", _VersionFn),
        ("status_name", _StatusNameFn),
        ("engine_create", _EngineCreateFn),
        ("engine_destroy", _EngineDestroyFn),
        ("check", _CheckFn),
        ("free_buffer", _FreeBufferFn),
    ]


class CasecheckError(Exception):
    """A call into the plugin returned a status other than OK."""

    def __init__(self, status, status_name, message):
        super().__init__("{}: {}".format(status_name, message))
        self.status = status
        self.status_name = status_name
        self.message = message


class Casecheck:
    """One loaded plugin and one engine.

    Use it as a context manager, or call close(), so that the engine is
    destroyed. check() may be called from several threads at once: the plugin
    guarantees that for one engine.
    """

    def __init__(self, plugin_path, config=None):
        # RTLD_NOW surfaces missing dependencies here rather than mid-call;
        # RTLD_LOCAL keeps the plugin's symbols out of the global namespace.
        # The CDLL object is kept because ctypes unloads nothing while it lives.
        self._lib = ctypes.CDLL(plugin_path, mode=os.RTLD_NOW | os.RTLD_LOCAL)
        try:
            get_api = getattr(self._lib, ENTRY_SYMBOL)
        except AttributeError:
            raise RuntimeError("{}: no symbol {}".format(plugin_path, ENTRY_SYMBOL)) from None
        get_api.argtypes = [ctypes.c_uint32]
        get_api.restype = ctypes.POINTER(_Api)

        table = get_api(ABI_MAJOR)
        if not table:
            raise RuntimeError("plugin does not serve ABI major {}".format(ABI_MAJOR))
        api = table.contents
        # Only the header is read before the size check: fields beyond
        # struct_size are not the plugin's memory to read.
        if api.abi_major != ABI_MAJOR:
            raise RuntimeError("plugin returned ABI major {}, expected {}".format(api.abi_major, ABI_MAJOR))
        if api.struct_size < ctypes.sizeof(_Api):
            raise RuntimeError(
                "function table too small: struct_size {} < {}".format(api.struct_size, ctypes.sizeof(_Api))
            )
        for name, _ in _Api._fields_[4:]:
            if not getattr(api, name):
                raise RuntimeError("function table has a NULL entry: {}".format(name))
        self._api = api

        # An empty configuration selects every default.
        config_bytes = b"" if config is None else json.dumps(config, separators=(",", ":")).encode("utf-8")
        engine = ctypes.c_void_p()
        error = ctypes.c_void_p()
        error_len = ctypes.c_size_t()
        status = api.engine_create(
            config_bytes, len(config_bytes), ctypes.byref(engine), ctypes.byref(error), ctypes.byref(error_len)
        )
        try:
            if status != STATUS_OK:
                raise self._error(status, error, error_len)
        finally:
            api.free_buffer(error)
        self._engine = engine

    def check(self, request_bytes):
        """Checks a request document (bytes, passed as-is) and returns the parsed response.

        Raises CasecheckError when the plugin rejects the request.
        """
        if self._engine is None:
            raise ValueError("Casecheck is closed")
        out = ctypes.c_void_p()
        out_len = ctypes.c_size_t()
        status = self._api.check(
            self._engine, request_bytes, len(request_bytes), ctypes.byref(out), ctypes.byref(out_len)
        )
        try:
            if status != STATUS_OK:
                # On failure the buffer, if any, holds a message, not a response.
                raise self._error(status, out, out_len)
            response = _read_buffer(out, out_len)
        finally:
            self._api.free_buffer(out)
        return json.loads(response.decode("utf-8"))

    def version(self):
        """The plugin's self-description: name, version, build, abi, criteria, rule_packs."""
        return json.loads(self._api.version().decode("utf-8"))

    def status_name(self, status):
        return self._api.status_name(status).decode("utf-8", errors="replace")

    def close(self):
        """Destroys the engine. The library stays mapped: ctypes never unloads it."""
        if self._engine is not None:
            self._api.engine_destroy(self._engine)
            self._engine = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _error(self, status, buffer, buffer_len):
        # E_INVALID_ARGUMENT and E_OUT_OF_MEMORY come without a message.
        if buffer:
            message = _read_buffer(buffer, buffer_len).decode("utf-8", errors="replace")
        else:
            message = "(no message)"
        return CasecheckError(status, self.status_name(status), message)


def _read_buffer(buffer, length):
    # Copies by the reported length instead of trusting the trailing NUL.
    return ctypes.string_at(buffer.value, length.value)


def main(argv):
    if len(argv) != 3:
        print("usage: {} PLUGIN_PATH REQUEST_JSON_FILE".format(argv[0]), file=sys.stderr)
        return 1
    plugin_path, request_path = argv[1], argv[2]

    try:
        with open(request_path, "rb") as request_file:
            request = request_file.read()
    except OSError as error:
        print("{}: {}".format(request_path, error), file=sys.stderr)
        return 1

    try:
        with Casecheck(plugin_path, DEMO_CONFIG) as casecheck:
            response = casecheck.check(request)
    except CasecheckError as error:
        print("casecheck: {}: {}".format(error.status_name, error.message), file=sys.stderr)
        return 1
    except (OSError, RuntimeError, ValueError) as error:
        # OSError: dlopen failed; RuntimeError: the plugin is not a usable
        # ABI 1 plugin; ValueError: the response is not UTF-8 JSON.
        print("casecheck: {}".format(error), file=sys.stderr)
        return 1

    # The native response shape is sdk/schema/prompt.schema.json; these four
    # fields are required in every prompt.
    prompts = response["prompts"]
    for prompt in prompts:
        print("  ".join((prompt["severity"], prompt["criterion"], prompt["record"], prompt["summary"])))
    print("prompts: {}".format(len(prompts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
