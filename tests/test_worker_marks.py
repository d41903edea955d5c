"""The note of which document of a batch a worker is reading (etl/warehouse/worker.py _Marks):
written in place, so the build reads the last index written, whatever its width."""
import shutil

from etl.warehouse import worker


def test_the_build_reads_the_last_index_a_worker_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr(worker, "_notes_dir", str(tmp_path))
    runner = worker.Runner([], 1)
    shutil.rmtree(runner.notes)             # its own notes folder: this test reads tmp_path
    runner.notes = str(tmp_path)
    mark = worker._Marks("k")
    try:
        assert runner._at("k") is None      # opened, nothing read yet: the batch is read again whole
        for index in (0, 7, 12, 3):         # a shorter index over a longer one leaves no digit behind
            mark(index)
            assert runner._at("k") == index
    finally:
        mark.close()
        runner.close()
    assert runner._at("nothing") is None


def test_no_notes_folder_no_note(monkeypatch):
    monkeypatch.setattr(worker, "_notes_dir", None)
    mark = worker._Marks("k")
    mark(5)
    mark.close()
