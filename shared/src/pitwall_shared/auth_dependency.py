"""FastAPI dependencies services use to require a verified caller."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request, Security
from fastapi.security import OAuth2PasswordBearer

from pitwall_shared.problems import ProblemError
from pitwall_shared.tokens import Identity, TokenVerifier, bearer_token

# A service doing a user's background work (report jobs) names the user in this header, so
# per-user limits downstream count the work against that user and not against the service.
ON_BEHALF_OF_HEADER = "X-On-Behalf-Of"
SERVICE_ROLE = "service"

# The form sign-in route of auth-svc, reached through the gateway: the API docs' Authorize
# button posts the password flow there.
SIGN_IN_FORM_PATH = "/api/v1/auth/token"
SIGN_IN_SCHEME = "OAuth2PasswordBearer"
# Declared by every route that requires a caller, so each service's OpenAPI marks exactly the
# operations it enforces, and the gateway's merged document derives "protected" from that.
# It does not verify anything (``auto_error=False``): ``require_identity`` reads the header
# itself, so a malformed header keeps its precise 401.
password_flow = OAuth2PasswordBearer(
    tokenUrl=SIGN_IN_FORM_PATH, scheme_name=SIGN_IN_SCHEME, auto_error=False
)


def _verifier(request: Request) -> TokenVerifier:
    verifier = getattr(request.app.state, "token_verifier", None)
    if verifier is None:  # a wiring bug, not a client error
        raise RuntimeError("app.state.token_verifier is not set; create it in lifespan")
    return verifier


async def require_identity(
    request: Request, _declared: Annotated[str | None, Security(password_flow)]
) -> Identity:
    token = bearer_token(request.headers.get("authorization"))
    identity = await _verifier(request).verify(token)
    request.state.identity = identity
    return identity


CurrentIdentity = Annotated[Identity, Depends(require_identity)]


def _trusted_actors(request: Request) -> frozenset[str]:
    """Subjects (``service:<client id>``) of the service tokens this app lets act for users;
    set on ``app.state.on_behalf_of_subjects`` in lifespan. None by default."""
    return frozenset(getattr(request.app.state, "on_behalf_of_subjects", frozenset()))


async def require_acting_identity(
    request: Request,
    identity: CurrentIdentity,
    on_behalf_of: Annotated[
        str | None,
        Header(alias=ON_BEHALF_OF_HEADER, include_in_schema=False, max_length=64,
               pattern=r"^[A-Za-z0-9_.:@-]+$"),
    ] = None,
) -> Identity:
    """The caller, or the user a trusted service token acts for.

    The header is honoured only from a verified service token whose subject the app trusts;
    from anyone else it is refused (403), never silently ignored, so a misconfigured service
    finds out at once. The acting identity keeps the service token (upstream calls stay the
    service's) and drops the service role: it may do what the user may, no more.
    """
    if on_behalf_of is None:
        return identity
    if identity.role != SERVICE_ROLE or identity.user_id not in _trusted_actors(request):
        raise ProblemError(
            403, f"Only a trusted service may send {ON_BEHALF_OF_HEADER}.",
            slug="on-behalf-of-refused",
        )
    return Identity(user_id=on_behalf_of, role="user", token=identity.token,
                    claims={**identity.claims, "act": {"sub": identity.user_id}})


ActingIdentity = Annotated[Identity, Depends(require_acting_identity)]
