"""The verified-token memo accepts a good token until it expires (or its memory ends) and
never remembers a bad one."""

from __future__ import annotations

import time

import pytest

from pitwall_shared.problems import ProblemError
from pitwall_shared.testing import TestSigner
from pitwall_shared.token_memo import MemoizedVerifier


@pytest.fixture
def signer() -> TestSigner:
    return TestSigner()


class CountingVerifier:
    def __init__(self, signer: TestSigner) -> None:
        self.inner = signer.verifier()
        self.calls = 0

    async def verify(self, token: str):  # type: ignore[no-untyped-def]
        self.calls += 1
        return await self.inner.verify(token)


async def test_good_token_verified_once_bad_token_every_time(signer: TestSigner):
    counting = CountingVerifier(signer)
    memo = MemoizedVerifier(counting, ttl_seconds=300)
    token = signer.token(sub="user-7")
    assert (await memo.verify(token)).user_id == "user-7"
    assert (await memo.verify(token)).user_id == "user-7"
    assert counting.calls == 1
    other = TestSigner().token()  # signed by a key the verifier does not know
    for _ in range(2):
        with pytest.raises(ProblemError):
            await memo.verify(other)
    assert counting.calls == 3


async def test_memo_ends_when_the_token_expires(signer: TestSigner,
                                                monkeypatch: pytest.MonkeyPatch):
    counting = CountingVerifier(signer)
    memo = MemoizedVerifier(counting, ttl_seconds=300)
    token = signer.token(ttl=60)
    await memo.verify(token)
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    await memo.verify(token)  # past exp by the memo's clock: it must ask the verifier again
    assert counting.calls == 2


async def test_memory_ends_after_ttl_and_zero_remembers_nothing(
        signer: TestSigner, monkeypatch: pytest.MonkeyPatch):
    counting = CountingVerifier(signer)
    memo = MemoizedVerifier(counting, ttl_seconds=30)
    token = signer.token(ttl=3600)
    await memo.verify(token)
    assert memo.known(token) is not None
    later = time.time() + 31
    monkeypatch.setattr(time, "time", lambda: later)
    assert memo.known(token) is None
    await memo.verify(token)
    assert counting.calls == 2
    forgetful = MemoizedVerifier(counting, ttl_seconds=0)
    await forgetful.verify(token)
    await forgetful.verify(token)
    assert counting.calls == 4 and forgetful.known(token) is None
