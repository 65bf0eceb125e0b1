"""The offline bundle (moved here from generator/bundle.py)."""

from .offline import (  # noqa: F401
    DEFAULT_OUT,
    SHIM,
    VENDOR_DIR,
    BundleError,
    BundleResult,
    bundle,
    bundle_command,
    find_network_references,
    write_zip,
)
