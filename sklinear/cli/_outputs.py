"""Writing output files: never over an input, and atomically."""

import os
import secrets
import stat

from ._errors import CommandError, _one_line

# Windows would translate newlines in a file opened without it.
_O_BINARY = getattr(os, "O_BINARY", 0)


def _check_not_an_input(output, option="--output", **inputs):
    """Fail if the output file ``output`` is one of the command's ``inputs``.

    ``inputs`` maps a name for the message (``DATA``, ``MODEL``) to a path.
    Two paths are the same file if :func:`os.path.samefile` says so, which
    sees through other spellings (``./data.csv``), symbolic and hard links;
    :func:`os.path.realpath` covers a dangling or unreadable path.
    """
    for name, path in inputs.items():
        try:
            same = os.path.samefile(output, path)
        except OSError:  # one of them does not exist (yet)
            same = os.path.realpath(output) == os.path.realpath(path)
        if same:
            raise CommandError(
                f"{option} {os.fspath(output)!r} is the input file {name} "
                f"{os.fspath(path)!r}; choose another file (sklinear never "
                "overwrites its inputs)"
            )


def _write_atomically(path, data):
    """Write the bytes ``data`` to the file ``path``, all or nothing.

    The bytes go to a new file in the directory of ``path``, which then
    replaces ``path`` with :func:`os.replace` (atomic within a file system):
    if writing fails or is interrupted, ``path`` keeps its previous content, or
    does not exist, and no partial file is left behind. A symbolic link is
    followed, so the file it points to is replaced, not the link; a replaced
    file keeps its permissions, and a read-only one is not replaced.

    Parameters
    ----------
    path : str or os.PathLike
        The output file.
    data : bytes
        Its whole new content.

    Raises
    ------
    CommandError
        If the file cannot be written (no such directory, no permission,
        disk full ...).
    """
    name = os.fspath(path)
    target = os.path.realpath(name)
    directory, base = os.path.split(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        mode = None  # a new file: the umask applies, as for open(path, "w")
    # os.replace needs only the directory to be writable; a file the user
    # made read-only must stay as protected as open(path, "w") would leave it.
    if mode is not None and not os.access(target, os.W_OK):
        raise CommandError(f"cannot write {name!r}: permission denied")
    temporary = os.path.join(directory, f".{base}.{secrets.token_hex(6)}.tmp")
    try:
        descriptor = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666
        )
    except OSError as exc:
        raise CommandError(f"cannot write {name!r}: {_one_line(exc)}") from None
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            # The new name must not point at data still in the page cache
            # only: after a crash, the file is the old one or the new one.
            os.fsync(file.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as exc:
        # Also on KeyboardInterrupt: the temporary file is ours to remove.
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise CommandError(f"cannot write {name!r}: {_one_line(exc)}") from None
        raise
