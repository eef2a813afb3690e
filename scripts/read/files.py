"""Read an input file (a seed, a curation file) as what it claims to be: a regular file inside the
project, of bounded size. A symbolic link that leads outside the project, a FIFO, a device such as
/dev/zero, or a file over the limit is refused before a byte of it is read, with a PipelineError
naming the file (never the outside file it leads to, nor its contents)."""

import os
import stat
from pathlib import Path

from ..errors import PipelineError

SEED_MAX_BYTES = 2_000_000


def read_input(path, root=None, max_bytes=SEED_MAX_BYTES):
    path = Path(path)
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise PipelineError("cannot read: no such file (or a link to nothing)", file=path) from None
    if root is not None:
        try:
            real.relative_to(Path(root).resolve())
        except ValueError:
            raise PipelineError(
                "is a link to a file outside the project: inputs are read only from inside it", file=path
            ) from None
    try:
        info = os.stat(real)
    except OSError as e:
        raise PipelineError(f"cannot read: {e.strerror}", file=path) from None
    if not stat.S_ISREG(info.st_mode):
        raise PipelineError("is not a regular file (a folder, a FIFO or a device): inputs are plain files", file=path)
    if info.st_size > max_bytes:
        raise PipelineError(f"the file is {info.st_size:,} bytes, over the limit of {max_bytes:,}", file=path)
    try:
        with open(real, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise PipelineError(f"cannot read: {e.strerror}", file=path) from None
    if len(data) > max_bytes:  # it grew while being read
        raise PipelineError(f"the file is over the limit of {max_bytes:,} bytes", file=path)
    return data
