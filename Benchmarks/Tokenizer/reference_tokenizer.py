#!/usr/bin/env python3
"""Times Python tiktoken's encode_ordinary on one file, single-threaded.

Usage: reference_tokenizer.py FILE ENCODING [--runs N]

Prints one JSON object: encoding, bytes, tokens, median and best seconds and
MB/s (10^6 bytes per second), and the tiktoken version. tiktoken is loaded
offline: the rank files in the shared folder (../shared/tokenizers beside the
package root, found from this script's own path) are placed in a temporary
TIKTOKEN_CACHE_DIR under the names tiktoken would download them to.
Exits with status 3 and {"error": ...} when tiktoken is not installed.
"""
import hashlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED_TOKENIZERS = os.path.normpath(os.path.join(PACKAGE_ROOT, "..", "shared", "tokenizers"))


def load_encoding(name):
    cache = tempfile.mkdtemp(prefix="tiktoken-cache-")
    for vocabulary in ("cl100k_base", "o200k_base"):
        url = f"https://openaipublic.blob.core.windows.net/encodings/{vocabulary}.tiktoken"
        source = os.path.join(SHARED_TOKENIZERS, f"{vocabulary}.tiktoken")
        shutil.copy(source, os.path.join(cache, hashlib.sha1(url.encode()).hexdigest()))
    os.environ["TIKTOKEN_CACHE_DIR"] = cache
    import tiktoken

    return tiktoken, tiktoken.get_encoding(name)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    path, name = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    try:
        tiktoken, encoding = load_encoding(name)
    except ImportError:
        print(json.dumps({"error": "python tiktoken is not installed (pip install tiktoken==0.14.0)"}))
        sys.exit(3)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    size = len(text.encode("utf-8"))
    tokens = len(encoding.encode_ordinary(text))  # warm-up
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        encoding.encode_ordinary(text)
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)
    print(json.dumps({
        "encoding": name,
        "bytes": size,
        "tokens": tokens,
        "medianSeconds": median,
        "bestSeconds": min(seconds),
        "megabytesPerSecond": size / 1e6 / median,
        "tiktokenVersion": getattr(tiktoken, "__version__", "unknown"),
    }))


if __name__ == "__main__":
    main()
