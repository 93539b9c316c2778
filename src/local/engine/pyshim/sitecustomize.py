"""smpk local backend: map the container's /opt/ml onto the job sandbox for Python scripts.

SageMaker scripts often hard-code paths such as /opt/ml/processing/input or /opt/ml/model.
Locally, a job's /opt/ml is a sandbox directory named by SMPK_OPT_ML. Python imports this module
at start-up (it is first on PYTHONPATH), and it wraps the file functions of builtins, io and os
so that any path under /opt/ml is redirected into the sandbox. Paths reach the operating system
mapped, but strings the script builds keep saying /opt/ml, so its own logic is unchanged.

Limits: native extensions that open paths themselves (not through Python's open/os) and child
processes see the unmapped path; use the SM_* variables or arguments for those.
"""
import builtins
import io
import os

_ROOT = os.environ.get("SMPK_OPT_ML")


def _map(path):
    if isinstance(path, int):
        return path
    try:
        text = os.fspath(path)
    except TypeError:
        return path
    if isinstance(text, bytes):
        if text == b"/opt/ml" or text.startswith(b"/opt/ml/"):
            return os.fsencode(_ROOT) + text[len(b"/opt/ml"):]
        return path
    if text == "/opt/ml" or text.startswith("/opt/ml/"):
        return _ROOT + text[len("/opt/ml"):]
    return path


def _wrap_first(function):
    def wrapper(path, *args, **kwargs):
        return function(_map(path), *args, **kwargs)

    wrapper.__wrapped__ = function
    wrapper.__name__ = getattr(function, "__name__", "wrapper")
    wrapper.__doc__ = getattr(function, "__doc__", None)
    return wrapper


def _wrap_two(function):
    def wrapper(src, dst, *args, **kwargs):
        return function(_map(src), _map(dst), *args, **kwargs)

    wrapper.__wrapped__ = function
    wrapper.__name__ = getattr(function, "__name__", "wrapper")
    return wrapper


def _wrap_optional(function):
    # listdir() and scandir() take an optional path (default ".").
    def wrapper(path=".", *args, **kwargs):
        return function(_map(path), *args, **kwargs)

    wrapper.__wrapped__ = function
    wrapper.__name__ = getattr(function, "__name__", "wrapper")
    return wrapper


if _ROOT:
    _open = _wrap_first(builtins.open)
    builtins.open = _open
    io.open = _open
    for _name in ("open", "stat", "lstat", "mkdir", "remove", "unlink", "rmdir", "chdir", "access",
                  "utime", "chmod", "readlink", "truncate", "statvfs"):
        if hasattr(os, _name):
            setattr(os, _name, _wrap_first(getattr(os, _name)))
    for _name in ("listdir", "scandir"):
        setattr(os, _name, _wrap_optional(getattr(os, _name)))
    for _name in ("rename", "replace", "link", "symlink"):
        if hasattr(os, _name):
            setattr(os, _name, _wrap_two(getattr(os, _name)))
