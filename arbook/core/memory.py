"""How a process that reads large ledgers gives memory back: set once by the ``arbook`` command.

A large file is read and checked in pieces (:func:`arbook.core.csvfile.read_pieces`), so at any
moment memory holds the typed ledger and one piece of text. With the allocators' defaults the
freed pieces are kept for reuse instead of returned: glibc raises its mmap threshold to the
largest block freed (so every later piece-sized array comes from a heap that fragments and never
shrinks), and Arrow's mimalloc pool keeps freed pages. Measured on a 194 MiB CSV (3.8M
invoices, ``benchmarks/bench_check.py``), that slack was 250 MiB above the ledger itself.

:func:`lean` fixes the glibc threshold at 1 MiB (an array that large is mapped and unmapped
whole) and gives Arrow the jemalloc pool with pages returned at once (else the system pool). It
changes process-wide settings, so the library never calls it on its own: the command does, and a
notebook that loads very large files may.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

import pyarrow as pa

log = logging.getLogger(__name__)

#: glibc's mallopt parameter number for the mmap threshold (malloc.h: M_MMAP_THRESHOLD)
M_MMAP_THRESHOLD = -3
#: arrays this large are mapped on their own and unmapped when freed
MMAP_THRESHOLD = 1 << 20


def lean() -> list[str]:
    """Make freed memory go back to the system promptly; return what was set (for the log)."""
    done = []
    name = ctypes.util.find_library("c")
    if name:
        try:
            libc = ctypes.CDLL(name)
            if libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1:
                done.append(f"glibc mmap threshold {MMAP_THRESHOLD:,} bytes")
        except (OSError, AttributeError) as exc:  # not glibc (musl, macOS): its own defaults
            log.debug("mallopt unavailable: %s", exc)
    try:
        pool = pa.jemalloc_memory_pool()
        pa.jemalloc_set_decay_ms(0)
    except NotImplementedError:  # an Arrow built without jemalloc
        pool = pa.system_memory_pool()
    pa.set_memory_pool(pool)
    done.append(f"Arrow pool {pool.backend_name}")
    return done
