"""The Dask engine (`python -m etl build --engine dask`): the build's per-document function
mapped over a dask.distributed cluster.

The documents are cut into batches (EPW_DASK_BATCH_MB of files each, smaller when there would
be fewer than TASKS_PER_WORKER tasks a worker, so the ~2 ms a Dask task costs and the fork
below are spread over many documents). Each task runs its batch through the same `Runner` as
the local engine, with one worker process forked from the Dask worker: every document is read
under the same limits (EPW_DOC_SECONDS, EPW_DOC_CPU_SECONDS, EPW_DOC_MEMORY_MB: timers and
RLIMIT_AS need a process of their own, which a Dask worker thread is not), and a document that
kills its process is named, the others of the batch kept. The worker process writes each
document's shard to the shared shard folder; the task returns only the small `Stored` notes,
and the build loads the shards exactly as for the local engine.

Without a scheduler address a LocalCluster of `workers` processes (one thread each) is started
and stopped with the build. With one, every Dask worker must run this same ETL code (checked:
the fingerprint travels with each task) and see the raw folder at the same path and the shard
folder at the same address.
"""
from __future__ import annotations

import gc
import logging
import multiprocessing

from etl import config
from etl.pipeline import WORKER_DIED_STAGE, warm_up
from etl.warehouse.shards import Stored, Target
from etl.warehouse.worker import Limits, Runner, batches



class OtherCode(RuntimeError):
    """A Dask worker runs other ETL code than the build (its shards would not be this build's), or
    cannot start the process a batch is read in: the build stops and says why."""


_warmed = False


def run_batch(batch: list[tuple[str, str, str]], target: Target, limits: Limits) -> list:
    """A Dask task: the batch's documents through the local Runner (one forked worker process,
    under the limits), which writes their shards to target. Returns their notes."""
    global _warmed
    if multiprocessing.current_process().daemon:
        raise OtherCode("a Dask worker runs as a daemon process, which may not start the process a batch is read "
                        "in: start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")
    if config.fingerprint() != target.fingerprint:
        raise OtherCode(f"a Dask worker runs other ETL code (fingerprint {config.fingerprint()}, the build's is "
                        f"{target.fingerprint}): install the same version of the project on every worker")
    if not _warmed:             # once per Dask worker process, inherited by every process it forks
        warm_up()
        _warmed = True
    gc.freeze()                 # as in build(): the forked process shares the warmed-up pages
    runner = Runner(batch, 1, limits, shards=target, whole=True)   # the batch's rows: one set of shard files
    try:
        return list(runner)
    finally:
        runner.close()
        gc.unfreeze()           # frozen objects are never freed, not even when the worker exits


class DaskRunner:
    """run_batch over the documents on a Dask cluster; iterating yields each document's result
    as its batch completes. `close()` stops the tasks and the LocalCluster it started."""

    def __init__(self, todo: list[tuple[str, str, str]], target: Target, *, scheduler: str | None = None,
                 workers: int = 1, limits: Limits | None = None, batch_mb: int | None = None):
        self.client = self.cluster = None
        self.futures, self.batch_of = [], {}
        if not todo:
            return
        import dask     # heavy, and only this engine needs it
        from distributed import Client, LocalCluster
        if scheduler:
            self.client = Client(scheduler)
        else:
            # a daemon process may not fork: the workers read each batch in a process of its own
            with dask.config.set({"distributed.worker.daemon": False}):
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
            self.client = Client(self.cluster)
        slots = sum(self.client.nthreads().values()) or workers
        parts = batches(todo, slots, batch_mb or config.setting_int("EPW_DASK_BATCH_MB"))
        self.futures = self.client.map(run_batch, parts, target=target, limits=limits or Limits.from_settings(),
                                       pure=False)
        self.batch_of = {f.key: part for f, part in zip(self.futures, parts)}

    def __iter__(self):
        if not self.futures:
            return
        from distributed import as_completed
        for f in as_completed(self.futures):
            if f.status == "finished":
                yield from f.result()
            else:
                e = f.exception()
                if isinstance(e, OtherCode):
                    raise e
                for _, rel, sha in self.batch_of[f.key]:  # the Dask worker died (again and again)
                    yield Stored(rel, sha, errors=[(WORKER_DIED_STAGE, "the Dask task reading this document failed: "
                                                                       f"{type(e).__name__}: {e}")])
            f.release()

    def close(self, abort: bool = False) -> None:
        if self.client is not None:
            if abort:
                self.client.cancel(self.futures)
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
