"""The archive keeps the very bytes whose hash names them, even when the received file changes
while it is being admitted (a sync client or Excel saving it again)."""

import hashlib

import toolkit.store.receive as receive
from toolkit.store import Store
from toolkit.store.db import read_hashed, sha256_file
from toolkit.store.receive import Admitted, admit


def test_the_archive_holds_the_bytes_that_were_hashed(tmp_path, monkeypatch):
    received = tmp_path / "svar.xlsx"
    received.write_bytes(b"PK first save")
    real = receive.read_hashed

    def then_saved_again(path):
        out = real(path)
        path.write_bytes(b"PK second save, longer")  # after hashing, before archiving
        return out

    monkeypatch.setattr(receive, "read_hashed", then_saved_again)
    with Store(tmp_path / "w") as st:
        got = admit(st, received)
    assert isinstance(got, Admitted)
    assert got.archived.read_bytes() == b"PK first save"
    assert got.archived.name == f"{sha256_file(got.archived)}.xlsx" == f"{got.file_hash}.xlsx"


def test_a_file_over_the_kept_size_is_hashed_in_pieces_and_copied(tmp_path, monkeypatch):
    received = tmp_path / "stor.xlsx"
    received.write_bytes(bytes(range(256)) * 5000)  # 1.28 MB: more than one piece
    assert read_hashed(received, keep=10)[1] is None
    monkeypatch.setattr(receive, "read_hashed", lambda path: read_hashed(path, keep=10))
    with Store(tmp_path / "w") as st:
        got = admit(st, received)
    assert isinstance(got, Admitted)
    assert got.archived.read_bytes() == received.read_bytes()
    assert (
        got.file_hash
        == sha256_file(received)
        == read_hashed(received)[0]
        == hashlib.sha256(received.read_bytes()).hexdigest()
    )
