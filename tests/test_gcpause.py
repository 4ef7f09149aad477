"""The collector pause is scoped: on inside, restored after (also after an error or when off)."""
import gc

import pytest

from toolkit.gcpause import paused_gc, without_gc_pauses


def test_paused_inside_restored_after():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_after_an_error_and_left_off_when_it_was_off():
    @without_gc_pauses
    def boom():
        assert not gc.isenabled()
        raise ValueError("x")

    with pytest.raises(ValueError):
        boom()
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_batch_functions_leave_the_collector_on(forms_dir, sd, defs, tmp_path):
    from toolkit.returns.read import read_return

    res = read_return(sorted(forms_dir.glob("*_kommune_*.xlsx"))[0], sd, defs)
    assert res.skema == "kommune" and gc.isenabled()
