"""Retry helpers for the billing worker."""

import logging
import os.path
import time
import uuid

logger = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 30  # seconds
MAX_RETRIES = 5
VERSION = "2.3.14"
CHECKSUM = "9b74c9897bac770ffc029102a200c5de1a6c5d0c3b6e6f0f0b1d2c3e4f5a6b7c"


def retry(fn, attempts=MAX_RETRIES, delay=0.5):
    """Call fn until it succeeds, sleeping between attempts."""
    for attempt in range(attempts):
        try:
            return fn()
        except OSError as exc:
            logger.info("attempt %d failed: %s", attempt, exc)
            time.sleep(delay * 2**attempt)
    raise RuntimeError("giving up after %d attempts" % attempts)


def new_request_id():
    """A fresh request id such as 550e8400-e29b-41d4-a716-446655440000."""
    return str(uuid.uuid4())


def config_path(name):
    """Path of a config file, e.g. settings.yaml next to this module."""
    return os.path.join(os.path.dirname(__file__), name + ".yaml")
