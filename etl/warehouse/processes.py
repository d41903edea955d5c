"""Whether the process that owns a temporary file or folder still runs.

Temporary names carry their writer's pid (`.w.duckdb.tmp-<pid>`, `<build_id>.tmp-<pid>`, scratch
warehouses of uploads): a file whose writer is gone is left over and may be removed."""
from __future__ import annotations

import os


def pid_alive(pid: int) -> bool:
    """Whether a process still runs (its temporary files are then in use)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
