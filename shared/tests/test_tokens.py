import time

import jwt
import pytest

from pitwall_shared.problems import ProblemError
from pitwall_shared.testing import TestSigner


async def test_valid_token_gives_identity():
    signer = TestSigner()
    identity = await signer.verifier().verify(signer.token(sub="u-7", role="admin"))
    assert identity.user_id == "u-7"
    assert identity.is_admin


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": int(time.time()) - 60},
        {"nbf": int(time.time()) + 600},
        {"iss": "someone-else"},
        {"aud": "other-audience"},
        {"typ": "refresh"},
    ],
)
async def test_bad_claims_rejected(claims):
    signer = TestSigner()
    with pytest.raises(ProblemError) as err:
        await signer.verifier().verify(signer.token(**claims))
    assert err.value.status == 401


async def test_alg_none_and_foreign_key_rejected():
    signer = TestSigner()
    verifier = signer.verifier()
    unsigned = jwt.encode({"sub": "x"}, None, algorithm="none", headers={"kid": signer.kid})
    with pytest.raises(ProblemError):
        await verifier.verify(unsigned)
    other = TestSigner()
    forged = other.token()
    forged_with_known_kid = jwt.encode(
        jwt.decode(forged, options={"verify_signature": False}),
        other.private_key,
        algorithm="EdDSA",
        headers={"kid": signer.kid},
    )
    with pytest.raises(ProblemError) as err:
        await verifier.verify(forged_with_known_kid)
    assert err.value.status == 401
